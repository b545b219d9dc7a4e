# Mariposa's words for supporters, in English.
# Every key here must exist in every other language (a test checks this).

## Site frame

site-name = Mariposa
skip-to-content = Skip to the main content
language-switcher = Language
footer-privacy = Your details are used only for this petition, and to write to you if you ask us to. Nobody else can find out that you signed.
footer-powered = Powered by Mariposa, free software for petitions.

## List of campaigns

index-title = Campaigns open for signatures
index-empty = There are no open campaigns right now.
index-sign-link = Read and sign

## Campaign page

campaign-signatures = { $count ->
    [one] signature
   *[other] signatures
}
campaign-goal = Goal: { $goal }
campaign-count-channels = { $online } online and { $paper } in person
history-title = Signatures confirmed per day, last 30 days
history-summary = Signatures confirmed in the last 30 days: { $count }. Days are counted in UTC.
history-table = The figures, day by day
history-day = Day
history-confirmed = Confirmed that day
history-cumulative = Total so far
history-data = Download them as open data:
campaign-progress-label = Signatures so far, toward the goal
campaign-progress-text = { $count } of { $goal } signatures
campaign-closed = This petition is no longer collecting signatures. Thank you to everyone who signed.
campaign-paused = Signing is paused for a short while. Your signature matters: please come back soon.

## Signing form

form-heading = Add your name
form-first-name = First name
form-last-name = Last name
form-email = Email
form-email-hint = We will email you a link to confirm your signature.
form-country = Country
form-postal-code = Postal code
form-optional = optional
form-comment = Comment
form-comment-hint = Why are you signing? Up to 1,000 characters.
form-opt-in = Keep me informed by email about this campaign and related ones.
form-opt-in-by = Keep me informed by { $organisation } about this campaign and related ones, by email.
form-opt-in-partner = …and by { $partner }, which then receives my name and email address.
form-honeypot = Leave this field empty
form-submit = Sign the petition
form-privacy = Your signature counts once you confirm it by email. We never publish who signed.
form-errors-heading = There is a problem
# Before the page title and before each message beside a field, for screen readers.
error-prefix = Error:
form-stale = For your security, please send the form again: it was open for a long time or could not be verified. We kept what you typed.
form-busy = Many people are signing right now and we could not save your signature. Please press the button again in a moment; we kept what you typed.
form-unavailable = We could not save your signature just now, because of a problem on our side. Please press the button again in a few minutes; we kept what you typed.
form-too-soon = That was quick! Please check what you typed and press the button again to sign.
form-spent-title = Please reload the page
form-spent-body = This form has already been used for many signatures. Reload the page to get a fresh form, then sign again.
form-spent-action = Load the form again

## Field errors

error-name-empty = { $field ->
    [last_name] Enter your last name.
   *[first_name] Enter your first name.
}
error-name-too-long = { $field ->
    [last_name] Your last name is longer than we can store; please use at most 100 characters.
   *[first_name] Your first name is longer than we can store; please use at most 100 characters.
}
error-name-characters = { $field ->
    [last_name] Your last name contains characters we cannot accept.
   *[first_name] Your first name contains characters we cannot accept.
}
error-name-web-address = { $field ->
    [last_name] Please write your last name without web addresses (links such as https://… or www.…).
   *[first_name] Please write your first name without web addresses (links such as https://… or www.…).
}
error-name-formula = { $field ->
    [last_name] Your last name cannot start with =, +, - or @, or have one after a comma or semicolon: a spreadsheet would take it for a formula. Please write it without those signs.
   *[first_name] Your first name cannot start with =, +, - or @, or have one after a comma or semicolon: a spreadsheet would take it for a formula. Please write it without those signs.
}
error-email-empty = Please enter your email address.
error-email-invalid = This does not look like an email address. Please check it.
error-email-undeliverable = We cannot send email to this address, so you could not confirm your signature. Please enter the email address you use every day, such as name@provider.org.
error-country-unknown = Please choose your country from the list.
error-postal-code-missing = Please enter your postal code.
error-postal-code-shape = This postal code does not look right for the country you chose.
error-comment-too-long = Your comment is too long; please shorten it to 1,000 characters.
error-comment-characters = Your comment contains characters we cannot accept.

## After signing

check-email-title = Check your email
check-email-body = We have sent you an email. Open it and press the button inside to confirm your signature: it counts only once you confirm.
check-email-address = We sent it to { $email }. If that address is wrong, please sign again with the right one.
check-email-spam = No email after a few minutes? Look in your spam folder, or sign again with the same address and we will send the link again.
check-email-share = While you wait, share the petition: every signature adds weight to the demand.
back-to-campaign = Back to the petition

## Confirmation

confirm-title = Confirm your signature
confirm-body = Press the button to confirm your signature on “{ $campaign }”.
confirm-button = Confirm my signature
confirm-expired-title = This link has expired
confirm-expired-body = Confirmation links work for 30 days. Please sign again and we will send you a new one.
confirm-expired-action = Sign again
confirm-closed-title = This campaign has closed
confirm-closed-body = Your signature could not be added, because the campaign stopped taking signatures before you confirmed it. Thank you for wanting to take part.
confirm-closed-on = The campaign closed on { $date }.
confirm-unknown-title = This link does not work
confirm-unknown-body = The confirmation link is incomplete or unknown. Please copy the whole link from the email, or sign the petition again.

## Thanks

thanks-title = Thank you!
thanks-body = Your signature on “{ $campaign }” is confirmed and counted.
thanks-share = Now share the petition: every signature adds weight to the demand.
share-message = I signed “{ $campaign }”. Add your name too:
share-email = Email
share-copy-link = Or copy this link:
share-copy-button = Copy the link
share-copied = Link copied
share-native = Share…

## Errors

not-found-title = Page not found
not-found-body = We could not find this page. It may have moved, or the address may be mistyped.
not-found-home = See the open petitions
error-title = Something went wrong
error-body = We could not complete your request. Please try again in a moment; nothing you had already sent is lost.
bad-request-title = We could not read that request
bad-request-body = The form that was sent was incomplete or too large. Please go back and try again.
request-timeout-title = The connection took too long
request-timeout-body = What you sent did not arrive in full in time. Please check your connection, go back and try again.
too-many-connections-title = Too many connections
too-many-connections-body = Your address has too many connections open to this site. Please wait a few seconds and try again.


## Too many requests

rate-limited-title = Please wait a moment
rate-limited-body = Many requests have come from your connection in a short time. Please wait a minute and try again; what you already sent is safe.

## Embedded form and partners' API

embed-frame-title = Petition signing form
embed-blocked-link = Sign the petition on the campaign’s page
embed-full-petition = Read the whole petition
share-image-alt = Mariposa’s butterfly, next to the word Mariposa
api-busy = Many people are signing right now and the signature could not be saved. Please send it again in a moment.
api-unavailable = The signature could not be saved because of a problem on the server. Please send it again in a few minutes.
api-malformed = The request could not be read: send one JSON object shaped like the OSDI record signature helper.
api-too-large = The request is larger than a signature can be.
api-not-json = Send the signature as JSON, with the header Content-Type: application/json.
api-not-found = There is no campaign at this address.
api-bad-interval = Ask for interval=hour or interval=day.
api-origin-refused = This campaign does not accept signatures sent from this website.


## Unsubscribing

unsubscribe-title = Stop the news
unsubscribe-body = Press the button and we will not write to you about this campaign again. Your signature still counts.
unsubscribe-button = Unsubscribe
unsubscribe-done-title = You will get no more news
unsubscribe-done-body = We will not write to you about this campaign again. Your signature still counts.

## Emails

email-greeting = Hello { $name },
email-confirm-subject = Please confirm your signature: { $campaign }
email-confirm-intro = Thank you for signing “{ $campaign }”. Your signature counts only once you confirm it:
email-confirm-button = Confirm my signature
email-confirm-link-help = If the button does not work, copy this link into your browser:
email-confirm-expiry = The link works for 30 days.
email-confirm-ignore = If you did not sign, simply ignore this email: nothing is counted without confirmation.
email-reminder-subject = Your signature is not counted yet: { $campaign }
email-reminder-intro = You signed “{ $campaign }” but have not confirmed it yet, so it does not count. One click is all it takes:
email-reminder-once = This is the only reminder we send.
email-already-subject = You have already signed: { $campaign }
email-already-body = Someone, probably you, tried to sign “{ $campaign }” again with this email address. Your signature is already confirmed and counted once; there is nothing more to do.
email-already-share = If you want to help further, share the petition:
email-welcome-subject = Thank you for signing: { $campaign }
email-welcome-body = You signed “{ $campaign }” in person, and your signature already counts. You asked for news about this campaign: we will write when there is some.
email-signoff = Thank you for standing with us.
email-unsubscribe = Don't want news about this campaign any more? Unsubscribe in one click:

email-update-campaign = More about “{ $campaign }”:
email-update-why = You receive this because you signed “{ $campaign }” and asked to hear how it goes.
campaign-target-response = The response to the petition
campaign-updates = News from the campaign
campaign-update-published = Published on

## The kiosk: a tablet passed from hand to hand at an event
kiosk-form-heading = Sign here
kiosk-email-hint = Only if you want news: nothing else is sent to you.
kiosk-consent = Your signature counts as soon as it reaches us: a volunteer is here, so there is no email to confirm. We never publish who signed. Without a connection, this device keeps each signature sealed (only the campaign’s server can open it) until it is sent, then deletes it.
kiosk-thanks-title = Thank you for signing!
kiosk-thanks-body = Your signature is counted. Please hand the device to the next person.
kiosk-thanks-queued = Your signature is saved on this device, sealed. It will count when the tablet is back online. Please hand the device to the next person.
kiosk-next = Next person
kiosk-waiting = Signatures waiting to be sent:
kiosk-all-sent = All signatures are sent.
kiosk-offline = No connection: signatures are kept safely, sealed, and sent when the connection is back.
kiosk-refused = This kiosk is closed. Signatures it still held were not counted; the campaign team can see how many.
kiosk-closed-title = This kiosk is closed
kiosk-closed-body = This kiosk no longer takes signatures: its link was withdrawn or has expired. Please ask the campaign team for a new link.
kiosk-invalid = This signature could not be counted: a field was not filled in as the form asks.

## A partner's own page, behind the link staff gave it
partner-intro = The signatures your organisation brought, counted by day once confirmed, the code that puts the form on your site, and the signers who agreed to hear from you. Keep this link to yourselves: it is your key to this page.
partner-nothing-yet = No campaign is open, and no signatures have come through your code yet.
partner-totals = Confirmed signatures you brought.
partner-online = Online
partner-in-person = In person
partner-day = Day
partner-export = Download the signers who agreed to hear from you (CSV)
partner-export-hint = Only the signers who ticked the box for your organisation are in it; everyone else you brought is in the counts above only.
partner-snippet-script = Code for your page (script)
partner-snippet-iframe = Code for your page (iframe, without script)
