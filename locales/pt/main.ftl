# As palavras do Mariposa para quem assina, em português do Brasil.
# Toda chave deste arquivo precisa existir em todos os outros idiomas (um teste verifica isso).

## Estrutura do site

site-name = Mariposa
skip-to-content = Pular para o conteúdo principal
language-switcher = Idioma
footer-privacy = Seus dados são usados apenas para esta petição e para escrever para você, se você pedir. Ninguém mais pode saber que você assinou.
footer-powered = Desenvolvido com o Mariposa, software livre para petições.

## Lista de campanhas

index-title = Campanhas abertas para assinatura
index-empty = No momento, não há campanhas abertas.
index-sign-link = Ler e assinar

## Página da campanha

campaign-signatures = { $count ->
    [0] assinaturas
    [one] assinatura
   *[other] assinaturas
}
campaign-goal = Meta: { $goal }
campaign-count-channels = { $online } on-line e { $paper } presencialmente
history-title = Assinaturas confirmadas por dia, últimos 30 dias
history-summary = Assinaturas confirmadas nos últimos 30 dias: { $count }. Os dias são contados em UTC.
history-table = Os números, dia a dia
history-day = Dia
history-confirmed = Confirmadas nesse dia
history-cumulative = Total até esse dia
history-data = Baixe-os como dados abertos:
campaign-progress-label = Assinaturas até agora, rumo à meta
campaign-progress-text = { $count } de { $goal } assinaturas
campaign-closed = Esta petição não está mais recebendo assinaturas. Agradecemos a todas as pessoas que assinaram.
campaign-paused = A coleta de assinaturas está pausada por um momento. Sua assinatura importa: volte em breve, por favor.

## Formulário de assinatura

form-heading = Adicione seu nome
form-first-name = Nome
form-last-name = Sobrenome
form-email = E-mail
form-email-hint = Vamos enviar para o seu e-mail um link para confirmar sua assinatura.
form-country = País
form-postal-code = Código postal (CEP)
form-optional = opcional
form-comment = Comentário
form-comment-hint = Por que você está assinando? Até 1.000 caracteres.
form-opt-in = Quero receber por e-mail notícias sobre esta campanha e outras relacionadas.
form-opt-in-by = Quero que { $organisation } me mantenha a par por e-mail desta campanha e de outras relacionadas.
form-opt-in-partner = …e também { $partner }, que receberá para isso o meu nome e o meu e-mail.
form-honeypot = Deixe este campo em branco
form-submit = Assinar a petição
form-privacy = Sua assinatura só conta depois que você a confirmar por e-mail. Nunca publicamos quem assinou.
form-errors-heading = Há um problema
# Antes do título da página e de cada mensagem junto a um campo, para leitores de tela.
error-prefix = Erro:
form-stale = Para sua segurança, envie o formulário de novo: ele ficou aberto por muito tempo ou não pôde ser verificado. Guardamos o que você digitou.
form-busy = Muita gente está assinando agora e não conseguimos salvar sua assinatura. Aperte o botão de novo daqui a pouco; guardamos o que você digitou.
form-unavailable = Não conseguimos salvar sua assinatura agora por um problema do nosso lado. Aperte o botão de novo daqui a alguns minutos; guardamos o que você digitou.
form-too-soon = Que rapidez! Confira o que você digitou e aperte o botão de novo para assinar.
form-spent-title = Recarregue a página
form-spent-body = Este formulário já foi usado para muitas assinaturas. Recarregue a página para obter um formulário novo e assine de novo.
form-spent-action = Carregar o formulário de novo

## Erros nos campos

error-name-empty = { $field ->
    [last_name] Escreva seu sobrenome.
   *[first_name] Escreva seu nome.
}
error-name-too-long = { $field ->
    [last_name] Seu sobrenome é mais longo do que conseguimos guardar; use no máximo 100 caracteres.
   *[first_name] Seu nome é mais longo do que conseguimos guardar; use no máximo 100 caracteres.
}
error-name-characters = { $field ->
    [last_name] Seu sobrenome tem caracteres que não podemos aceitar.
   *[first_name] Seu nome tem caracteres que não podemos aceitar.
}
error-name-web-address = { $field ->
    [last_name] Escreva seu sobrenome sem endereços da web (links como https://… ou www.…).
   *[first_name] Escreva seu nome sem endereços da web (links como https://… ou www.…).
}
error-name-formula = { $field ->
    [last_name] Seu sobrenome não pode começar com =, +, - ou @, nem tê-los depois de uma vírgula ou de um ponto e vírgula: uma planilha o tomaria por uma fórmula. Escreva seu sobrenome sem esses sinais.
   *[first_name] Seu nome não pode começar com =, +, - ou @, nem tê-los depois de uma vírgula ou de um ponto e vírgula: uma planilha o tomaria por uma fórmula. Escreva seu nome sem esses sinais.
}
error-email-empty = Informe seu endereço de e-mail.
error-email-invalid = Isto não parece um endereço de e-mail. Confira, por favor.
error-email-undeliverable = Não conseguimos enviar e-mail para este endereço, então você não poderia confirmar sua assinatura. Informe o endereço de e-mail que você usa no dia a dia, como nome@provedor.org.
error-country-unknown = Escolha seu país na lista.
error-postal-code-missing = Informe seu código postal.
error-postal-code-shape = Este código postal não parece correto para o país escolhido.
error-comment-too-long = Seu comentário está longo demais; reduza para no máximo 1.000 caracteres.
error-comment-characters = Seu comentário contém caracteres que não podemos aceitar.

## Depois de assinar

check-email-title = Confira seu e-mail
check-email-body = Enviamos um e-mail para você. Abra e aperte o botão que está nele para confirmar sua assinatura: ela só conta depois de confirmada.
check-email-address = Enviamos para { $email }. Se esse endereço estiver errado, assine de novo com o certo.
check-email-spam = Passaram alguns minutos e nada chegou? Procure na pasta de spam ou assine de novo com o mesmo endereço, e enviaremos o link outra vez.
check-email-share = Enquanto isso, compartilhe a petição: cada assinatura dá mais força à reivindicação.
back-to-campaign = Voltar para a petição

## Confirmação

confirm-title = Confirme sua assinatura
confirm-body = Aperte o botão para confirmar sua assinatura em “{ $campaign }”.
confirm-button = Confirmar minha assinatura
confirm-expired-title = Este link expirou
confirm-expired-body = Os links de confirmação valem por 30 dias. Assine de novo e enviaremos um novo link.
confirm-expired-action = Assinar de novo
confirm-closed-title = Esta campanha foi encerrada
confirm-closed-body = Sua assinatura não pôde ser somada, porque a campanha deixou de receber assinaturas antes de você confirmá-la. Obrigado por querer participar.
confirm-closed-on = A campanha foi encerrada em { $date }.
confirm-unknown-title = Este link não funciona
confirm-unknown-body = O link de confirmação está incompleto ou não foi reconhecido. Copie o link inteiro do e-mail ou assine a petição de novo.

## Agradecimento

thanks-title = Obrigado!
thanks-body = Sua assinatura em “{ $campaign }” foi confirmada e contabilizada.
thanks-share = Agora compartilhe a petição: cada assinatura dá mais força à reivindicação.
share-message = Eu assinei “{ $campaign }”. Assine você também:
share-email = E-mail
share-copy-link = Ou copie este link:
share-copy-button = Copiar o link
share-copied = Link copiado
share-native = Compartilhar…

## Erros

not-found-title = Página não encontrada
not-found-body = Não encontramos esta página. Ela pode ter mudado de lugar, ou o endereço pode ter sido digitado errado.
not-found-home = Ver as petições abertas
error-title = Algo deu errado
error-body = Não conseguimos concluir seu pedido. Tente de novo daqui a pouco; nada do que você já enviou foi perdido.
bad-request-title = Não conseguimos ler esse pedido
bad-request-body = O formulário enviado estava incompleto ou grande demais. Volte e tente de novo.
request-timeout-title = A conexão demorou demais
request-timeout-body = O que você enviou não chegou completo a tempo. Confira sua conexão, volte e tente de novo.
too-many-connections-title = Conexões demais
too-many-connections-body = Seu endereço tem conexões demais abertas com este site. Espere alguns segundos e tente de novo.


## Solicitações demais

rate-limited-title = Aguarde um momento
rate-limited-body = Recebemos muitas solicitações da sua conexão em pouco tempo. Aguarde um minuto e tente de novo; o que você já enviou está seguro.

## Formulário incorporado e API para organizações parceiras

embed-frame-title = Formulário para assinar a petição
embed-blocked-link = Assine a petição na página da campanha
embed-full-petition = Leia a petição completa
share-image-alt = A borboleta do Mariposa, ao lado da palavra Mariposa
api-busy = Muita gente está assinando agora e não conseguimos salvar a assinatura. Envie de novo daqui a pouco.
api-unavailable = Não conseguimos salvar a assinatura por um problema no servidor. Envie de novo daqui a alguns minutos.
api-malformed = Não conseguimos ler a solicitação: envie um único objeto JSON no formato do “record signature helper” da OSDI.
api-too-large = A solicitação é maior do que uma assinatura pode ser.
api-not-json = Envie a assinatura como JSON, com o cabeçalho Content-Type: application/json.
api-not-found = Não existe nenhuma campanha neste endereço.
api-bad-interval = Peça interval=hour (por hora) ou interval=day (por dia).
api-origin-refused = Esta campanha não aceita assinaturas enviadas a partir deste site.


## Cancelar o recebimento de notícias

unsubscribe-title = Parar de receber notícias
unsubscribe-body = Aperte o botão e não vamos mais escrever para você sobre esta campanha. Sua assinatura continua valendo.
unsubscribe-button = Cancelar inscrição
unsubscribe-done-title = Você não vai mais receber notícias
unsubscribe-done-body = Não vamos mais escrever para você sobre esta campanha. Sua assinatura continua valendo.

## E-mails

email-greeting = Olá, { $name },
email-confirm-subject = Confirme sua assinatura: { $campaign }
email-confirm-intro = Obrigado por assinar “{ $campaign }”. Sua assinatura só conta depois que você a confirmar:
email-confirm-button = Confirmar minha assinatura
email-confirm-link-help = Se o botão não funcionar, copie e cole este link no seu navegador:
email-confirm-expiry = O link vale por 30 dias.
email-confirm-ignore = Se não foi você quem assinou, é só ignorar este e-mail: nada é contabilizado sem confirmação.
email-reminder-subject = Sua assinatura ainda não conta: { $campaign }
email-reminder-intro = Você assinou “{ $campaign }”, mas ainda não confirmou, então sua assinatura não conta. Basta um clique:
email-reminder-once = Este é o único lembrete que enviamos.
email-already-subject = Você já assinou: { $campaign }
email-already-body = Alguém, provavelmente você, tentou assinar “{ $campaign }” de novo com este endereço de e-mail. Sua assinatura já está confirmada e foi contada uma única vez; não é preciso fazer mais nada.
email-already-share = Se quiser ajudar ainda mais, compartilhe a petição:
email-welcome-subject = Obrigado por assinar: { $campaign }
email-welcome-body = Você assinou “{ $campaign }” pessoalmente, e a sua assinatura já conta. Você pediu para receber notícias desta campanha: escreveremos quando houver novidades.
email-signoff = Obrigado por estar ao nosso lado.
email-unsubscribe = Não quer mais receber notícias desta campanha? Cancele com um clique:

email-update-campaign = Mais sobre “{ $campaign }”:
email-update-why = Você recebe esta mensagem porque assinou “{ $campaign }” e pediu para receber notícias da campanha.
campaign-target-response = A resposta à petição
campaign-updates = Notícias da campanha
campaign-update-published = Publicado em

## O quiosque: um tablet que passa de mão em mão num evento
kiosk-form-heading = Assine aqui
kiosk-email-hint = Só se quiser notícias: não enviaremos mais nada.
kiosk-consent = Sua assinatura conta assim que chega até nós: há uma pessoa voluntária aqui, então não é preciso confirmar por e-mail. Nunca publicamos quem assinou. Sem conexão, este aparelho guarda cada assinatura selada (só o servidor da campanha pode abri-la) até enviá-la, e depois a apaga.
kiosk-thanks-title = Obrigado por assinar!
kiosk-thanks-body = Sua assinatura já conta. Por favor, passe o aparelho para a próxima pessoa.
kiosk-thanks-queued = Sua assinatura ficou guardada neste aparelho, selada. Ela vai contar quando o tablet voltar a ter conexão. Por favor, passe o aparelho para a próxima pessoa.
kiosk-next = Próxima pessoa
kiosk-waiting = Assinaturas aguardando envio:
kiosk-all-sent = Todas as assinaturas foram enviadas.
kiosk-offline = Sem conexão: as assinaturas ficam guardadas, seladas e seguras, e serão enviadas quando a conexão voltar.
kiosk-refused = Este quiosque está fechado. As assinaturas que ele ainda guardava não foram contadas; a equipe da campanha pode ver quantas eram.
kiosk-closed-title = Este quiosque está fechado
kiosk-closed-body = Este quiosque não recolhe mais assinaturas: seu link foi retirado ou expirou. Peça um link novo à equipe da campanha.
kiosk-invalid = Esta assinatura não pôde ser contada: um campo não estava preenchido como o formulário pede.

## A partner's own page, behind the link staff gave it
partner-intro = As assinaturas que a sua organização trouxe, contadas por dia depois de confirmadas, o código que põe o formulário no seu site e os signatários que aceitaram receber notícias suas. Guarde este link para a sua equipa: é a sua chave para esta página.
partner-nothing-yet = Nenhuma campanha está aberta, e ainda não chegou nenhuma assinatura com o seu código.
partner-totals = Assinaturas confirmadas que trouxe.
partner-online = On-line
partner-in-person = Presencial
partner-day = Dia
partner-export = Descarregar os signatários que aceitaram receber notícias suas (CSV)
partner-export-hint = Inclui apenas quem marcou a caixa da sua organização; as outras pessoas que trouxe aparecem só nos números acima.
partner-snippet-script = Código para a sua página (script)
partner-snippet-iframe = Código para a sua página (iframe, sem script)
