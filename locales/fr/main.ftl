# Les mots de Mariposa pour les signataires, en français.
# Chaque clé de ce fichier doit exister dans toutes les autres langues (un test le vérifie).

## Cadre du site

site-name = Mariposa
skip-to-content = Aller au contenu principal
language-switcher = Langue
footer-privacy = Vos données servent uniquement à cette pétition, et à vous écrire si vous nous le demandez. Personne d’autre ne peut savoir que vous avez signé.
footer-powered = Propulsé par Mariposa, logiciel libre pour les pétitions.

## Liste des campagnes

index-title = Campagnes ouvertes à la signature
index-empty = Aucune campagne n’est ouverte pour le moment.
index-sign-link = Lire et signer

## Page d’une campagne

campaign-signatures = { $count ->
    [one] signature
   *[other] signatures
}
campaign-goal = Objectif : { $goal }
campaign-count-channels = { $online } en ligne et { $paper } en personne
history-title = Signatures confirmées par jour, 30 derniers jours
history-summary = Signatures confirmées ces 30 derniers jours : { $count }. Les jours sont comptés en UTC.
history-table = Les chiffres, jour par jour
history-day = Jour
history-confirmed = Confirmées ce jour-là
history-cumulative = Total à ce jour
history-data = Téléchargez-les en données ouvertes :
campaign-progress-label = Signatures recueillies jusqu’ici, par rapport à l’objectif
campaign-progress-text = { $count } signatures sur { $goal }
campaign-closed = Cette pétition ne recueille plus de signatures. Merci à toutes les personnes qui l’ont signée.
campaign-paused = La collecte de signatures est suspendue pour un moment. Votre signature compte : revenez bientôt, s’il vous plaît.

## Formulaire de signature

form-heading = Ajoutez votre nom
form-first-name = Prénom
form-last-name = Nom
form-email = Courriel
form-email-hint = Nous vous enverrons par courriel un lien pour confirmer votre signature.
form-country = Pays
form-postal-code = Code postal
form-optional = facultatif
form-comment = Commentaire
form-comment-hint = Pourquoi signez-vous ? 1 000 caractères au maximum.
form-opt-in = Je souhaite recevoir par courriel des nouvelles de cette campagne et de campagnes semblables.
form-opt-in-by = Je souhaite que { $organisation } me tienne au courant par courriel de cette campagne et de campagnes semblables.
form-opt-in-partner = …ainsi que { $partner }, qui recevra pour cela mon nom et mon adresse électronique.
form-honeypot = Laissez ce champ vide
form-submit = Signer la pétition
form-privacy = Votre signature compte dès que vous la confirmez par courriel. Nous ne publions jamais l’identité des signataires.
form-errors-heading = Il y a un problème
# Avant le titre de la page et avant chaque message près d’un champ, pour les lecteurs d’écran.
error-prefix = Erreur :
form-stale = Pour votre sécurité, veuillez renvoyer le formulaire : il est resté ouvert longtemps ou n’a pas pu être vérifié. Nous avons conservé ce que vous aviez saisi.
form-busy = Beaucoup de personnes signent en ce moment et nous n’avons pas pu enregistrer votre signature. Veuillez appuyer de nouveau sur le bouton dans un instant ; nous avons conservé ce que vous aviez saisi.
form-unavailable = Nous n’avons pas pu enregistrer votre signature pour l’instant, à cause d’un problème de notre côté. Veuillez appuyer de nouveau sur le bouton dans quelques minutes ; nous avons conservé ce que vous aviez saisi.
form-too-soon = C’était rapide ! Vérifiez ce que vous avez saisi et appuyez de nouveau sur le bouton pour signer.
form-spent-title = Veuillez recharger la page
form-spent-body = Ce formulaire a déjà servi pour de nombreuses signatures. Rechargez la page pour obtenir un nouveau formulaire, puis signez à nouveau.
form-spent-action = Recharger le formulaire

## Erreurs dans les champs

error-name-empty = { $field ->
    [last_name] Indiquez votre nom de famille.
   *[first_name] Indiquez votre prénom.
}
error-name-too-long = { $field ->
    [last_name] Votre nom de famille est plus long que ce que nous pouvons enregistrer ; veuillez vous limiter à 100 caractères.
   *[first_name] Votre prénom est plus long que ce que nous pouvons enregistrer ; veuillez vous limiter à 100 caractères.
}
error-name-characters = { $field ->
    [last_name] Votre nom de famille contient des caractères que nous ne pouvons pas accepter.
   *[first_name] Votre prénom contient des caractères que nous ne pouvons pas accepter.
}
error-name-web-address = { $field ->
    [last_name] Veuillez écrire votre nom de famille sans adresse web (des liens comme https://… ou www.…).
   *[first_name] Veuillez écrire votre prénom sans adresse web (des liens comme https://… ou www.…).
}
error-name-formula = { $field ->
    [last_name] Votre nom de famille ne peut pas commencer par =, +, - ou @, ni en contenir après une virgule ou un point-virgule : un tableur le prendrait pour une formule. Veuillez l’écrire sans ces signes.
   *[first_name] Votre prénom ne peut pas commencer par =, +, - ou @, ni en contenir après une virgule ou un point-virgule : un tableur le prendrait pour une formule. Veuillez l’écrire sans ces signes.
}
error-email-empty = Veuillez indiquer votre adresse courriel.
error-email-invalid = Cela ne ressemble pas à une adresse courriel. Veuillez la vérifier.
error-email-undeliverable = Nous ne pouvons pas envoyer de courriel à cette adresse, vous ne pourriez donc pas confirmer votre signature. Veuillez indiquer l’adresse courriel que vous utilisez au quotidien, comme nom@fournisseur.org.
error-country-unknown = Veuillez choisir votre pays dans la liste.
error-postal-code-missing = Veuillez indiquer votre code postal.
error-postal-code-shape = Ce code postal ne semble pas correspondre au pays choisi.
error-comment-too-long = Votre commentaire est trop long ; veuillez le raccourcir à 1 000 caractères.
error-comment-characters = Votre commentaire contient des caractères que nous ne pouvons pas accepter.

## Après la signature

check-email-title = Consultez vos courriels
check-email-body = Nous vous avons envoyé un courriel. Ouvrez-le et appuyez sur le bouton qu’il contient pour confirmer votre signature : elle ne compte qu’une fois confirmée.
check-email-address = Nous l’avons envoyé à { $email }. Si cette adresse est erronée, signez à nouveau avec la bonne.
check-email-spam = Toujours rien après quelques minutes ? Regardez dans vos courriels indésirables, ou signez de nouveau avec la même adresse et nous vous renverrons le lien.
check-email-share = En attendant, partagez la pétition : chaque signature donne plus de poids à la demande.
back-to-campaign = Retour à la pétition

## Confirmation

confirm-title = Confirmez votre signature
confirm-body = Appuyez sur le bouton pour confirmer votre signature de la pétition « { $campaign } ».
confirm-button = Confirmer ma signature
confirm-expired-title = Ce lien a expiré
confirm-expired-body = Les liens de confirmation sont valables 30 jours. Veuillez signer de nouveau et nous vous en enverrons un autre.
confirm-expired-action = Signer de nouveau
confirm-closed-title = Cette campagne est close
confirm-closed-body = Votre signature n’a pas pu être ajoutée, car la campagne ne recevait plus de signatures quand vous l’avez confirmée. Merci d’avoir voulu participer.
confirm-closed-on = La campagne a pris fin le { $date }.
confirm-unknown-title = Ce lien ne fonctionne pas
confirm-unknown-body = Le lien de confirmation est incomplet ou inconnu. Veuillez copier le lien en entier depuis le courriel, ou signer de nouveau la pétition.

## Remerciements

thanks-title = Merci !
thanks-body = Votre signature de la pétition « { $campaign } » est confirmée et comptabilisée.
thanks-share = Partagez maintenant la pétition : chaque signature donne plus de poids à la revendication.
share-message = J’ai signé « { $campaign } ». Ajoutez votre nom vous aussi :
share-email = Courriel
share-copy-link = Ou copiez ce lien :
share-copy-button = Copier le lien
share-copied = Lien copié
share-native = Partager…

## Erreurs

not-found-title = Page introuvable
not-found-body = Nous n’avons pas trouvé cette page. Elle a peut-être été déplacée, ou l’adresse contient une faute de frappe.
not-found-home = Voir les pétitions ouvertes
error-title = Un problème est survenu
error-body = Nous n’avons pas pu traiter votre demande. Veuillez réessayer dans un instant ; rien de ce que vous aviez déjà envoyé n’est perdu.
bad-request-title = Nous n’avons pas pu lire cette demande
bad-request-body = Le formulaire envoyé était incomplet ou trop volumineux. Veuillez revenir en arrière et réessayer.
request-timeout-title = La connexion a pris trop de temps
request-timeout-body = Ce que vous avez envoyé n’est pas arrivé en entier à temps. Vérifiez votre connexion, revenez en arrière et réessayez.
too-many-connections-title = Trop de connexions
too-many-connections-body = Votre adresse a trop de connexions ouvertes vers ce site. Veuillez patienter quelques secondes et réessayer.


## Trop de demandes

rate-limited-title = Veuillez patienter un instant
rate-limited-body = Beaucoup de demandes sont arrivées de votre connexion en peu de temps. Veuillez attendre une minute et réessayer ; ce que vous avez déjà envoyé est en sécurité.

## Formulaire intégré et API des organisations partenaires

embed-frame-title = Formulaire de signature de la pétition
embed-blocked-link = Signez la pétition sur la page de la campagne
embed-full-petition = Lire la pétition en entier
share-image-alt = Le papillon de Mariposa, à côté du mot Mariposa
api-busy = Beaucoup de personnes signent en ce moment et la signature n’a pas pu être enregistrée. Veuillez l’envoyer de nouveau dans un instant.
api-unavailable = La signature n’a pas pu être enregistrée à cause d’un problème sur le serveur. Veuillez l’envoyer de nouveau dans quelques minutes.
api-malformed = La demande n’a pas pu être lue : envoyez un seul objet JSON ayant la forme du « record signature helper » d’OSDI.
api-too-large = La demande est plus volumineuse qu’une signature ne peut l’être.
api-not-json = Envoyez la signature en JSON, avec l’en-tête Content-Type: application/json.
api-not-found = Il n’y a aucune campagne à cette adresse.
api-bad-interval = Demandez interval=hour (par heure) ou interval=day (par jour).
api-origin-refused = Cette campagne n’accepte pas les signatures envoyées depuis ce site Web.


## Désinscription

unsubscribe-title = Ne plus recevoir de nouvelles
unsubscribe-body = Appuyez sur le bouton et nous ne vous écrirons plus au sujet de cette campagne. Votre signature compte toujours.
unsubscribe-button = Me désinscrire
unsubscribe-done-title = Vous ne recevrez plus de nouvelles
unsubscribe-done-body = Nous ne vous écrirons plus au sujet de cette campagne. Votre signature compte toujours.

## Courriels

email-greeting = Bonjour { $name },
email-confirm-subject = Confirmez votre signature : { $campaign }
email-confirm-intro = Merci d’avoir signé « { $campaign } ». Votre signature ne compte qu’une fois confirmée :
email-confirm-button = Confirmer ma signature
email-confirm-link-help = Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :
email-confirm-expiry = Le lien est valable 30 jours.
email-confirm-ignore = Si vous n’avez pas signé, ignorez simplement ce courriel : rien n’est comptabilisé sans confirmation.
email-reminder-subject = Votre signature n’est pas encore comptée : { $campaign }
email-reminder-intro = Vous avez signé « { $campaign } » sans la confirmer encore : elle ne compte pas. Un clic suffit :
email-reminder-once = C’est le seul rappel que nous envoyons.
email-already-subject = Vous avez déjà signé : { $campaign }
email-already-body = Quelqu’un, probablement vous, a essayé de signer de nouveau « { $campaign } » avec cette adresse courriel. Votre signature est déjà confirmée et n’est comptée qu’une fois ; vous n’avez rien d’autre à faire.
email-already-share = Si vous voulez aider davantage, partagez la pétition :
email-welcome-subject = Merci d’avoir signé : { $campaign }
email-welcome-body = Vous avez signé « { $campaign } » en personne, et votre signature compte déjà. Vous avez demandé à recevoir des nouvelles de cette campagne : nous vous écrirons quand il y en aura.
email-signoff = Merci d’être à nos côtés.
email-unsubscribe = Vous ne voulez plus de nouvelles de cette campagne ? Désinscrivez-vous en un clic :

email-update-campaign = En savoir plus sur « { $campaign } » :
email-update-why = Vous recevez ce message parce que vous avez signé « { $campaign } » et demandé à recevoir des nouvelles de la campagne.
campaign-target-response = La réponse à la pétition
campaign-updates = Nouvelles de la campagne
campaign-update-published = Publié le

## La borne : une tablette qui passe de main en main lors d’un événement
kiosk-form-heading = Signez ici
kiosk-email-hint = Seulement si vous voulez des nouvelles : rien d’autre ne vous sera envoyé.
kiosk-consent = Votre signature compte dès qu’elle nous parvient : une personne bénévole est là, il n’y a donc pas de courriel à confirmer. Nous ne publions jamais qui a signé. Sans connexion, cet appareil garde chaque signature scellée (seul le serveur de la campagne peut l’ouvrir) jusqu’à son envoi, puis l’efface.
kiosk-thanks-title = Merci d’avoir signé !
kiosk-thanks-body = Votre signature est comptée. Merci de passer l’appareil à la personne suivante.
kiosk-thanks-queued = Votre signature est gardée sur cet appareil, scellée. Elle comptera quand la tablette retrouvera la connexion. Merci de passer l’appareil à la personne suivante.
kiosk-next = Personne suivante
kiosk-waiting = Signatures en attente d’envoi :
kiosk-all-sent = Toutes les signatures sont envoyées.
kiosk-offline = Pas de connexion : les signatures sont gardées en sûreté, scellées, et envoyées au retour de la connexion.
kiosk-refused = Cette borne est fermée. Les signatures qu’elle gardait encore n’ont pas été comptées ; l’équipe de la campagne peut voir combien.
kiosk-closed-title = Cette borne est fermée
kiosk-closed-body = Cette borne ne recueille plus de signatures : son lien a été retiré ou a expiré. Demandez un nouveau lien à l’équipe de la campagne.
kiosk-invalid = Cette signature n’a pas pu être comptée : un champ n’était pas rempli comme le demande le formulaire.

## A partner's own page, behind the link staff gave it
partner-intro = Les signatures que votre organisation a apportées, comptées par jour une fois confirmées, le code qui met le formulaire sur votre site, et les signataires qui ont accepté d’avoir de vos nouvelles. Gardez ce lien pour vous : c’est votre clé de cette page.
partner-nothing-yet = Aucune campagne n’est ouverte, et aucune signature n’est encore arrivée avec votre code.
partner-totals = Signatures confirmées que vous avez apportées.
partner-online = En ligne
partner-in-person = En personne
partner-day = Jour
partner-export = Télécharger les signataires qui ont accepté d’avoir de vos nouvelles (CSV)
partner-export-hint = Seuls les signataires qui ont coché la case de votre organisation y figurent ; les autres personnes que vous avez apportées ne sont que dans les chiffres ci-dessus.
partner-snippet-script = Code pour votre page (script)
partner-snippet-iframe = Code pour votre page (iframe, sans script)
