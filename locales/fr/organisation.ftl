# Les mots propres à l’organisation autour de ceux de Mariposa : sa notice de confidentialité,
# sa page de réglages, le pied de ses courriels et sa lettre de remise. En français.

organisation-data-controller = { $holder } est responsable de vos données.
organisation-privacy-link = Lire la politique de confidentialité complète
organisation-error-too-long = Utilisez au plus { $max } caractères.
organisation-error-control = Retirez de ce champ les tabulations et autres caractères de contrôle.
organisation-error-reply-to = Indiquez une adresse électronique, comme contact@example.org, ou laissez ce champ vide.
organisation-error-privacy-url = Indiquez une adresse web qui commence par https://, ou laissez ce champ vide.
organisation-error-colour-unreadable = Indiquez la couleur sous la forme #rrggbb, par exemple #1a5c3a.
organisation-error-colour-contrast = Cette couleur a un contraste de { $ratio }:1 avec le texte blanc posé dessus et la page autour ; le niveau AA des WCAG demande au moins 4.5:1. Choisissez une couleur plus foncée.

admin-nav-organisation = Organisation
admin-organisation-title = Votre organisation
admin-organisation-intro = Les signataires voient ces réglages sur chaque page, chaque courriel et chaque document : le nom dans les titres et les pieds de page, l’expéditeur des courriels et la notice de confidentialité à côté de chaque formulaire.
admin-organisation-who = Pour l’instant, tout membre de l’équipe connecté peut modifier ces réglages ; les rôles de l’équipe les réserveront aux responsables. Chaque modification figure dans le journal d’audit.
admin-organisation-saved = Enregistré. Les pages et les courriels affichent les nouveaux réglages d’ici quelques secondes.
admin-organisation-name = Nom
admin-organisation-short-name = Nom court
admin-organisation-privacy-notice = Notice de confidentialité à côté du formulaire
admin-organisation-privacy-notice-hint = Quelques lignes : à quoi servent les données et pour combien de temps. Donnez plus bas le lien vers la politique complète.
admin-organisation-contact = Courriels et courrier
admin-organisation-sender-name = Nom de l’expéditeur
admin-organisation-sender-name-hint = Le nom sous lequel partent les courriels ; le nom court s’il est vide.
admin-organisation-reply-to = Adresse de réponse
admin-organisation-reply-to-hint = Où arrivent les réponses des signataires.
admin-organisation-postal-address = Adresse postale
admin-organisation-postal-address-hint = Imprimée au pied de chaque courriel et sur la lettre de remise, telle que saisie, ligne par ligne.
admin-organisation-privacy = Confidentialité
admin-organisation-data-controller = Responsable des données
admin-organisation-data-controller-hint = Le nom légal du responsable du traitement, comme l’exige la loi sur la protection des données.
admin-organisation-privacy-url = Adresse de la politique de confidentialité complète
admin-organisation-look = Couleur
admin-organisation-brand-colour = Couleur de l’organisation
admin-organisation-brand-colour-hint = Sous la forme #rrggbb. Elle remplit les boutons sous un texte blanc et colore les liens ; elle doit donc être assez foncée pour le niveau AA des WCAG (4.5:1).
admin-organisation-save = Enregistrer les réglages

email-footer-privacy = Politique de confidentialité

campaign-to = À : { $target }
admin-campaign-demand = La demande au destinataire
admin-campaign-demand-hint = Ce que demande la pétition, dans les termes de son destinataire : la lettre de remise la porte, à part du résumé écrit pour les signataires.

doc-letter-signers = Les signataires
doc-letter-salutation = Madame, Monsieur,
doc-letter-body = Par cette lettre, { $organisation } vous remet les signatures de { $count } personnes qui soutiennent la pétition « { $title } ».
doc-letter-collected = Les signatures ont été recueillies du { $from } au { $to } : { $online } en ligne, chacune confirmée par courriel, et { $in_person } sur papier et en personne.
doc-letter-follows = Leur demande suit cette lettre, puis la liste des signataires, avec une somme de contrôle qui permet à chacun de vérifier que la liste n’a pas été modifiée.
doc-letter-closing = Veuillez agréer, Madame, Monsieur, l’expression de notre haute considération.
doc-undrawable = Noms dont des lettres ne peuvent être dessinées par aucune police de ce document : { $count }. Ils apparaissent comme des carrés dans la liste, et tels qu’écrits dans le fichier de la liste.
doc-sheet-event-line = Événement : ___________________________   Date : ____________________
share-picture-alt = « { $title } », une pétition de { $organisation }
