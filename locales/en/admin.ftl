# Words of the staff pages. Staff pages are in English for now; they use the same
# mechanism as the public pages, so translating them later is adding files beside this one.

admin-site-name = Mariposa staff
admin-nav-label = Staff
admin-nav-campaigns = Campaigns
admin-nav-tokens = API tokens
admin-nav-audit = Audit log
admin-logout = Sign out
admin-unavailable = Mariposa cannot reach its database right now. Try again in a moment.
admin-csrf-refused = This form has expired or did not come from Mariposa. Go back, reload the page and try again.

admin-login-title = Staff sign-in
admin-email = Email
admin-password = Password
admin-login-button = Sign in
admin-login-expired = The sign-in form expired. Please try again.
admin-login-failed = That email and password do not match an account.
admin-login-throttled = Too many failed sign-ins. Wait 15 minutes and try again.
admin-login-busy = Many people are signing in at this moment. Please try again in a few seconds.

admin-campaigns-title = Campaigns
admin-campaigns-empty = There are no campaigns yet.
admin-campaign-new = New campaign
admin-campaign-edit = Edit campaign
admin-campaign-not-found = There is no campaign with this address.
admin-campaign-title = Title
admin-campaign-settings = Settings
admin-status = Status
admin-open = Open
admin-closed = Closed
admin-confirmed = Confirmed
admin-pending = Pending
admin-failed-emails = Emails that could not be sent
admin-all = All
admin-goal = Goal
admin-slug = Address
admin-slug-hint = The end of the campaign's web address: lower-case letters, digits and hyphens. It cannot change once the campaign exists.
admin-default-lang = Campaign language
admin-default-country = Country preselected in the form
admin-closes-on = Last day of signing (UTC)
admin-is-open = Open for signatures
admin-postal-code-required = Require a postal code
admin-embed-origins = Partner sites that may embed the form
admin-embed-origins-hint = One address per line, such as https://partner.example.org. Leave empty to let any site embed it.
admin-texts-hint = Write the campaign in its own language; the other languages are optional. Leave a blank line between paragraphs.
admin-summary = Summary
admin-body = Text
admin-save = Save
admin-form-errors = Please check the fields marked below.
admin-open-campaign = Reopen for signatures
admin-close-campaign = Close for signatures
admin-paused = Paused
admin-pause = Pause signing
admin-pause-message = What supporters will see (optional, in the campaign's language)
admin-pause-hint = For emergencies: the form disappears from the campaign page, the embedded form and the API at once, and nothing already signed is touched. Leave the note empty to show a standard one in each supporter's language.
admin-pause-button = Pause signing now
admin-pause-too-long = The note for supporters can be at most 500 characters.
admin-paused-heading = Signing is paused
admin-paused-supporters-see = Supporters see:
admin-resume = Resume signing

admin-opt-in-rate = Opted in to hear more
admin-per-day = Confirmed signatures per day signed
admin-no-signatures = No signatures yet.
admin-chart-max = busiest day:
admin-by-country = By country
admin-by-source = By source
admin-country = Country
admin-source = Source
admin-no-source = (none)
admin-export-signatures = Export signatures
admin-export-counts = Export counts (CSV)
admin-export-counts-by-day = Counts by day
admin-export-counts-by-country = Counts by country
admin-export-counts-by-source = Counts by source
admin-from = Signed from
admin-to = Signed until
admin-download-csv = Download CSV

admin-tokens-title = API tokens
admin-tokens-intro = Tokens let a script download the CSV exports without signing in. Each token is shown once, when it is created.
admin-token-name = Name
admin-token-create = Create token
admin-token-shown-once = copy this token now; it will not be shown again.
admin-token-name-invalid = Give the token a name of at most 100 characters.
admin-token-revoke = Revoke
admin-token-revoked = Revoked
admin-token-usage = Send the token in an Authorization header:
admin-created = Created
admin-last-used = Last used

admin-audit-title = Audit log
admin-when = When (UTC)
admin-who = Who
admin-what = What
admin-detail = Detail
admin-older = Older entries

admin-nav-erase = Erase a signer
admin-erase-title = Erase a signer
admin-erase-intro = Removes the name, email, postal code and comment of every signature made with this email address, and any email still waiting to be sent to it, from the database files themselves. The signatures still count. Any spelling of the address works.
admin-erase-campaign = Campaign
admin-erase-all-campaigns = All campaigns
admin-erase-button = Erase
admin-erase-invalid-email = This is not an email address.
admin-erase-done = { $count ->
    [one] Erased one signature. Counts are unchanged.
   *[other] Erased { $count } signatures. Counts are unchanged.
}
admin-token-scope = Sees
admin-token-scope-all = All signatures

admin-nav-partners = Partners
admin-partners-title = Partner organisations
admin-partners-intro = Partners embed the form on their own sites. The signatures they bring carry their code, so you can count them and give each partner a token that exports only its own.
admin-partners-empty = No partners yet.
admin-partner-name = Name
admin-partner-code = Code
admin-partner-code-hint = Letters, digits, hyphens, underscores and dots; it appears in links and exports.
admin-partner-website = Website
admin-partner-add = Add partner
admin-partner-invalid = Give the partner a name, a code of letters, digits, - _ or ., and (optionally) a website starting with https:// or http://.
admin-partner-code-taken = Another partner already has this code.
admin-snippets = Put the form on a partner's page
admin-snippets-intro = Copy a snippet into the partner's page. The script sizes the form to fit; the plain iframe works where scripts are not allowed.
admin-snippet-script = Script
admin-snippet-iframe = Plain iframe
admin-snippets-general = Without a partner
admin-cross-site-title = Form refused
admin-cross-site-body = This form was sent from another website, so Mariposa did not act on it. Open the staff pages at this site's own address and send the form from there.
admin-form-too-large-title = This form is too large
admin-form-too-large-body = Mariposa accepts up to 256 KiB in the campaign editor and 16 KiB in other staff forms, and nothing was saved. Go back to the form (most browsers keep what you typed), shorten the longest text and send it again.
admin-form-unreadable-title = This form could not be read
admin-form-unreadable-body = Nothing was saved. Go back, reload the page and send the form again.
