# As palavras próprias da organização em torno das do Mariposa: seu aviso de privacidade, sua
# página de configurações, o rodapé dos e-mails e a carta de entrega. Em português do Brasil.

organisation-data-controller = { $holder } é responsável pelos seus dados.
organisation-privacy-link = Leia o aviso de privacidade completo
organisation-error-too-long = Use no máximo { $max } caracteres.
organisation-error-control = Retire deste campo as tabulações e outros caracteres de controle.
organisation-error-reply-to = Informe um e-mail, como contato@example.org, ou deixe o campo vazio.
organisation-error-privacy-url = Informe um endereço web que comece com https://, ou deixe o campo vazio.
organisation-error-colour-unreadable = Informe a cor como #rrggbb, por exemplo #1a5c3a.
organisation-error-colour-contrast = Esta cor tem um contraste de { $ratio }:1 com o texto branco sobre ela e a página ao redor; o nível AA da WCAG exige pelo menos 4.5:1. Escolha uma cor mais escura.

admin-nav-organisation = Organização
admin-organisation-title = Sua organização
admin-organisation-intro = Quem apoia vê estas configurações em cada página, cada e-mail e cada documento: o nome nos títulos e rodapés, o remetente dos e-mails e o aviso de privacidade ao lado de cada formulário.
admin-organisation-who = Por enquanto, qualquer pessoa da equipe com sessão iniciada pode mudar estas configurações; os papéis da equipe vão limitá-las a quem administra. Cada mudança fica no registro de auditoria.
admin-organisation-saved = Salvo. As páginas e os e-mails mostram as novas configurações em poucos segundos.
admin-organisation-name = Nome
admin-organisation-short-name = Nome curto
admin-organisation-privacy-notice = Aviso de privacidade ao lado do formulário
admin-organisation-privacy-notice-hint = Algumas linhas: para que os dados são usados e por quanto tempo. Coloque abaixo o link para o aviso completo.
admin-organisation-contact = E-mails e correio
admin-organisation-sender-name = Nome do remetente
admin-organisation-sender-name-hint = O nome com que os e-mails chegam; o nome curto, se estiver vazio.
admin-organisation-reply-to = Endereço de resposta
admin-organisation-reply-to-hint = Para onde vão as respostas de quem apoia.
admin-organisation-postal-address = Endereço postal
admin-organisation-postal-address-hint = Impresso no rodapé de cada e-mail e na carta de entrega, como digitado, linha por linha.
admin-organisation-privacy = Privacidade
admin-organisation-data-controller = Responsável pelos dados
admin-organisation-data-controller-hint = O nome legal do controlador dos dados, como pede a lei de proteção de dados.
admin-organisation-privacy-url = Endereço do aviso de privacidade completo
admin-organisation-look = Cor
admin-organisation-brand-colour = Cor da organização
admin-organisation-brand-colour-hint = Como #rrggbb. Ela preenche os botões sob texto branco e colore os links, então precisa ser escura o bastante para o nível AA da WCAG (4.5:1).
admin-organisation-save = Salvar as configurações

email-footer-privacy = Aviso de privacidade

campaign-to = Para: { $target }
admin-campaign-demand = O pedido a quem recebe
admin-campaign-demand-hint = O que a petição pede, nos termos de quem a recebe: a carta de entrega o leva, à parte do resumo escrito para quem assina.

doc-letter-signers = As pessoas que assinaram
doc-letter-salutation = Prezados senhores,
doc-letter-body = Com esta carta, { $organisation } entrega as assinaturas de { $count } pessoas que apoiam a petição “{ $title }”.
doc-letter-collected = As assinaturas foram reunidas de { $from } a { $to }: { $online } on-line, cada uma confirmada por e-mail, e { $in_person } em papel e pessoalmente.
doc-letter-follows = O pedido delas segue esta carta, e depois a lista de quem assinou, com uma soma de verificação que permite a qualquer pessoa conferir que a lista não foi alterada.
doc-letter-closing = Atenciosamente,
doc-undrawable = Nomes com letras que nenhuma fonte deste documento consegue desenhar: { $count }. Aparecem como quadrados na lista, e como foram escritos no arquivo da lista.
doc-sheet-event-line = Evento: ______________________________   Data: ____________________
share-picture-alt = “{ $title }”, uma petição de { $organisation }
