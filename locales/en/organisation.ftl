# The organisation's own words around Mariposa's: its privacy notice, its settings page, its
# email footer and its delivery letter. In English.

organisation-data-controller = { $holder } holds your data.
organisation-privacy-link = Read the full privacy notice
organisation-error-too-long = Use at most { $max } characters.
organisation-error-control = Remove the tabs and other control characters from this field.
organisation-error-reply-to = Give an email address, such as contact@example.org, or leave this empty.
organisation-error-privacy-url = Give a web address that starts with https://, or leave this empty.
organisation-error-colour-unreadable = Give a colour as #rrggbb, such as #1a5c3a.
organisation-error-colour-contrast = This colour has a contrast ratio of { $ratio }:1 with the white text on it and the page around it; WCAG AA needs at least 4.5:1. Choose a darker colour.

admin-nav-organisation = Organisation
admin-organisation-title = Your organisation
admin-organisation-intro = Supporters see these settings on every page, every email and every document: the name in titles and footers, the sender of emails, and the privacy notice beside every signing form.
admin-organisation-who = Any signed-in member of staff can change these settings for now; staff roles will limit them to owners. Every change is in the audit log.
admin-organisation-saved = Saved. Pages and emails show the new settings within a few seconds.
admin-organisation-name = Name
admin-organisation-short-name = Short name
admin-organisation-privacy-notice = Privacy notice beside the form
admin-organisation-privacy-notice-hint = A few lines: what the data is used for and for how long. Link to the full notice below.
admin-organisation-contact = Emails and post
admin-organisation-sender-name = Sender's name
admin-organisation-sender-name-hint = The name emails come from; the short name if empty.
admin-organisation-reply-to = Reply-to address
admin-organisation-reply-to-hint = Where supporters' replies go.
admin-organisation-postal-address = Postal address
admin-organisation-postal-address-hint = Printed in every email's footer and on the delivery letter, as typed, line by line.
admin-organisation-privacy = Privacy
admin-organisation-data-controller = Who holds the data
admin-organisation-data-controller-hint = The legal name of the data controller (responsable del tratamiento), as the privacy law asks.
admin-organisation-privacy-url = Address of the full privacy notice
admin-organisation-look = Colour
admin-organisation-brand-colour = Brand colour
admin-organisation-brand-colour-hint = As #rrggbb. It fills buttons under white text and colours links, so it must be dark enough for WCAG AA (4.5:1).
admin-organisation-save = Save the settings

email-footer-privacy = Privacy notice

campaign-to = To: { $target }
admin-campaign-demand = The demand to the target
admin-campaign-demand-hint = What the petition asks, in the target's terms: the delivery letter carries it, apart from the summary written for supporters.

doc-letter-signers = The signers
doc-letter-salutation = Dear Madam or Sir,
doc-letter-body = With this letter, { $organisation } delivers to you the signatures of { $count } people who support the petition “{ $title }”.
doc-letter-collected = The signatures were collected from { $from } to { $to }: { $online } online, each confirmed by email, and { $in_person } on paper and in person.
doc-letter-follows = Their demand follows this letter, then the list of signers, with a checksum that lets anyone verify that the list was not changed.
doc-letter-closing = Yours faithfully,
doc-undrawable = Names with letters that no font in this document can draw: { $count }. They show as boxes in the list, and as written in the manifest file.
doc-sheet-event-line = Event: ______________________________   Date: ____________________
share-picture-alt = “{ $title }”, a petition by { $organisation }
