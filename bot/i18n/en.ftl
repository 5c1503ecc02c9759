# English messages. Every key here must also be in km.ftl (tests/bot/test_i18n.py).
# Plain text: the bot sends no HTML or Markdown, so no character needs escaping.

## Shared pieces, referenced by other messages

hotlines = Please call the NSSF hotline 1286 or the Ministry of Labour hotline 1297. Both answer 24 hours a day.
privacy = We keep your questions to improve the answers, but we do not keep your name or phone number. Phone numbers you type in a question are removed before it is stored.

## /start and languages

start-welcome =
    Hello! I am a helpdesk bot that answers questions about the National Social Security Fund (NSSF).
    I can answer questions about registration, health care, work accidents, maternity and pensions.
    { privacy }

    Please choose your language:
language-prompt = Please choose your language:
language-km = ភាសាខ្មែរ
language-en = English
language-chosen = You chose English.
ready =
    Type your question, for example: “How do I register with the NSSF?”
    Or tap /topics to browse the questions by topic.

## /help

help =
    { help-intro }
    { help-news }
    { help-outro }

## /topics

topics-prompt = Choose a topic:
topics-category =
    { $title }
    Choose a question:
button-back = ⬅️ Back
button-topics = 📚 Topics

## Answers to questions

answer-footer = Legal basis: { $legal } · Reviewed { $date }
    { $link ->
        [none] Please confirm with NSSF on 1286.
       *[other] Official page: { $link }
    }
feedback-yes = 👍
feedback-no = 👎
feedback-thanks = Thank you for your feedback!
choices-prompt = Did you mean one of these questions? Tap one:
button-none-of-these = ❌ None of these
no-answer = Sorry, I don’t have an answer to this question yet.
person-request = You would like to talk to a person. For now, people answer on these hotlines:
not-helped = Sorry that I could not help you.
try-again = You can also ask again in other words, or tap /topics.
ask-too-long = Your message is too long. Please ask one short question, in one or two sentences.
ask-empty = Please type your question in words, for example: “Do I get paid when I am sick?”
smalltalk-greeting = Hello! I answer questions about the NSSF. Type your question, or tap /topics to browse.
smalltalk-thanks = You're welcome! If you have another question about the NSSF, just write it here.

## Messages the bot can’t read

media-voice = Sorry, I can’t listen to voice messages yet. Please type your question.
media-picture = Sorry, I can’t read photos, videos or files. Please type your question.
media-sticker = Thank you! Type your question and I will try to answer.
media-location = I don’t need your location. Please type your question.
media-other = Sorry, I can only read text messages. Please type your question.
edited-message = I only read new messages, not edited ones. Please send your question again as a new message.
unknown-command = I don’t know that command. Type your question, or tap /topics or /help.
stale-button = This button no longer works. Type your question, or tap /topics.
private-only = I only answer questions in a private chat. Please write to me directly.
button-private-chat = 💬 Chat with me
error-generic = Sorry, something went wrong. Please try again in a moment.

## The command menu (setMyCommands)

cmd-start = Start and choose the language
cmd-help = How to use this bot
cmd-topics = Browse the questions by topic
cmd-language = Change the language

## Dates, e.g. "24 Nov 2026"

date = { $day } { $month } { $year }
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Escalation to union staff (issue #8): what workers see

cmd-ask = Ask union staff
cmd-cases = Your questions to union staff

button-ask-staff = 🙋 Ask union staff
ask-staff-offer = Union staff can answer you here in this chat. Tap “Ask union staff”.
person-request-staff = You would like to talk to a person. Union staff can answer you here in this chat, or you can call these hotlines:
case-unavailable = Sorry, union staff can’t be reached through this bot yet.
case-already-open = You already have case #{ $number } open. Everything you send here goes to union staff. To ask something else, close that case first.
button-share-name = 👤 Show my name to staff
case-name-shared-you = Union staff can now see your Telegram name on case #{ $number }.
case-name-shared-already = Staff can already see your name.
button-close-my-case = ✖️ Close my case
button-close-case-n = ✖️ Close case #{ $number }
button-reopen-case-n = ↩️ Reopen case #{ $number }
button-skip = Skip
button-cancel = Cancel
case-category-other = Something else
case-confirm-text = I will send this question to union staff:
    “{ $question }”
case-confirm-media = I will send your message to union staff.
case-ask-category = What is it about? (This helps the right person answer.)
case-ask-employer = Which factory or employer is it about? Type the name, or tap Skip. The union uses these names only to see patterns and raise them with NSSF; your employer is never told who asked.
case-ask-question = Write your question for union staff. You can also send a voice message, a photo or a document.
case-opened = Your question was sent to union staff as case #{ $number }.
case-ahead-none = No other question is waiting before yours.
case-ahead-one = 1 question is waiting before yours.
case-ahead-many = { $ahead } questions are waiting before yours.
case-sla = Staff usually reply within { $hours } working hours.
case-busy = Many questions arrived at once: yours will reach staff in about { $minutes } minutes.
case-how-it-works = Staff see the case number, not your name. Everything you send here now goes to them: text, voice messages, photos, documents. Their answer will come in this chat.
promote-backlog-intro = Union staff have answered a question you asked earlier:
promote-backlog-case = Union staff have written a new FAQ answer that may answer your question in case #{ $number }:
promote-backlog-case-open = Case #{ $number } stays open. If this does not answer your question, write here and union staff will see it.
case-backlog-sent = The worker was sent the new FAQ entry “{ $question }” as a possible answer. The case stays open.
case-edit-relayed = Your edit was sent to union staff too (case #{ $number }).
case-relayed = Sent to union staff (case #{ $number }).
media-voice-staff = I can’t listen to voice messages, but union staff can. Send it to them?
media-picture-staff = I can’t read photos, videos or files, but union staff can. Send it to them?
cases-none = You have no cases. To ask union staff something, tap /ask.
cases-list = Your cases:
cases-line-open = #{ $number } · { $category }: open
cases-line-closed = #{ $number } · { $category }: closed
case-cancelled = OK, nothing was sent. You can ask me a question at any time.
case-closed-you = Case #{ $number } is closed. You can ask me a question again at any time.
case-reopened-you = Case #{ $number } is open again. Everything you send here goes to union staff.
case-reopen-too-old = Case #{ $number } was closed more than { $days } days ago. To ask union staff again, tap /ask.
case-closed-staff = Union staff closed case #{ $number }.
case-did-it-help = Did their answer help you?
case-no-category = No topic
language-name-km = Khmer
language-name-en = English

## Escalation to union staff (issue #8): the staff group (STAFF_LANGUAGE)

case-card = Case #{ $number } · { $category }
    Language: { $language } · Employer: { $employer }
case-card-no-text = (voice message, photo or document: see below)
case-state-open = Waiting: nobody has claimed it yet.
case-state-claimed = Claimed by { $name }.
case-state-closed = Closed: { $outcome }.
case-card-help = The worker is anonymous. Reply in this topic and the bot copies your message to them (text, photos, voice, documents). Start a message with // to write a note only colleagues see.
case-card-help-named = The worker chose to show their name (see below). Reply in this topic and the bot copies your message to them (text, photos, voice, documents). Start a message with // to write a note only colleagues see.
case-name-shared = The worker chose to show their name to staff: { $name }
button-claim = ✋ Claim
button-unclaim = Unclaim
button-take-over = Take over
button-close-case = ✅ Close
outcome-answered = Answered
outcome-nssf = Referred to NSSF
outcome-legal = Referred to union legal aid
outcome-duplicate = Duplicate
outcome-noreply = No reply
outcome-worker = Closed by the worker
staff-choose-outcome = How was it resolved?
case-closed-by-worker = The worker closed this case.
case-reopened = The worker reopened this case.
case-closed-note = { $name } closed this case: { $outcome }.
case-feedback-helped = The worker says the answer helped. 👍
case-feedback-not-helped = The worker says the answer did not help. 👎
case-not-sent-closed = Not sent: this case is closed.
case-not-sent-blocked = Not sent: the worker has blocked the bot.
case-worker-blocked = The worker has blocked the bot: nothing more can reach them. The case is closed as “No reply”.
case-assigned = { $name } assigned this case to { $to }.
staff-assign-how = To give this case to a colleague, reply to one of their messages in this topic with /assign.
case-taken-over = { $name } took this case over from { $previous }.
staff-stale = This case no longer exists.
staff-case-closed = This case is already closed.
staff-yours-already = This case is already yours.
staff-claimed-by = { $name } has already claimed this case.
staff-claimed-you = Case #{ $number } is yours.
staff-not-yours = Only the person who claimed it can unclaim it.
staff-unclaimed = The case is back in the queue.
staff-ok = OK
staff-only = Only union staff can do this.

## Escalation: the first-response target and the digest (staff group)

button-open-case = Open the case
sla-reminder = ⏰ { $case } has waited { $hours } working hours without an answer. Can someone take it?
sla-admins = ⏰ { $case } has had no answer from union staff for { $hours } working hours.
digest = Daily digest of cases
    New: { $new } · Open: { $open } · Overdue: { $overdue } · Closed: { $closed }
    Median time to a first answer: { $median }
    FAQ entries due for review: { $reviews }

## Escalation: content gaps (/gaps in the staff group)

gaps-none = No unanswered questions in the last { $days } days.
gaps-title = { $count } questions in the last { $days } days got no answer or a 👎. The biggest groups:
gaps-line = { $size } asked: { $examples }

## Escalation: from answers to FAQ (staff group)

button-promote = 📚 Promote to FAQ
button-approve = ✅ Approve
button-reject = ✖️ Reject
promote-form = To make an FAQ entry from case #{ $number }, send a message in this topic like this (Khmer required, English optional; each “+” line is another way workers ask it):
    /faq
    Q: the question in Khmer
    A: the answer in Khmer
    Q en: the question in English
    A en: the answer in English
    + another phrasing
    Topic: one of { $topics } (if the case has none)
    A colleague must approve it before workers see it.
promote-preview = FAQ entry draft #{ $number } by { $author } · topic { $topic }
    Q: { $qkm }
    A: { $akm }
    Q en: { $qen }
    A en: { $aen }
    Also asked as: { $phrasings }
    Another staff member can approve it.
promote-missing-khmer = Not saved: the entry needs a Khmer question (Q:) and a Khmer answer (A:).
promote-missing-topic = Not saved: add “Topic:” with one of { $topics }.
promote-decided = This draft was already decided.
promote-not-own = Someone else must approve your own entry.
promote-live = FAQ entry #{ $number } is live, approved by { $name }. Workers who asked this before and got no answer are being sent it.
promote-rejected = FAQ entry draft #{ $number } was rejected by { $name }.
## Broadcasts: subscribing (issue #9)

subscribe-offer = Would you like union news and NSSF alerts here? About a few messages a month. You can stop at any time by sending STOP.
subscribe-yes = ✅ Yes, send me news
subscribe-no = No thanks
subscribe-confirmed =
    You are subscribed to union news and NSSF alerts on every topic.
    Tap a topic to turn it off or on, then tap Done. Send STOP at any time to unsubscribe.
subscribe-topics = Tap a topic to turn it off or on, then tap Done.
subscribe-topics-done = Done
subscribe-topics-saved = You will get general union news and alerts on:
subscribe-no-topics = You will only get general union news. Send /subscribe to choose topics again.
subscribe-declined = OK, no news from me. If you change your mind, send /subscribe.
subscribe-not-subscribed = You are not subscribed. Send /subscribe to get union news and NSSF alerts.
unsubscribed = You are unsubscribed: you will get no more news or alerts from me. You can still ask me questions. Send /subscribe to start again.
topic-pension = Pension
topic-health = Health care
topic-accident = Work accidents
topic-maternity = Maternity
topic-union = Union campaigns
topic-pension-on = ✅ { topic-pension }
topic-pension-off = ⬜ { topic-pension }
topic-health-on = ✅ { topic-health }
topic-health-off = ⬜ { topic-health }
topic-accident-on = ✅ { topic-accident }
topic-accident-off = ⬜ { topic-accident }
topic-maternity-on = ✅ { topic-maternity }
topic-maternity-off = ⬜ { topic-maternity }
topic-union-on = ✅ { topic-union }
topic-union-off = ⬜ { topic-union }
cmd-subscribe = Get union news and NSSF alerts

## Broadcasts: progress and reports for organisers (issue #9)

rsvp-button = 🙋 I'll attend
campaign-state-running = Broadcast #{ $id } is sending.
campaign-state-paused = Broadcast #{ $id } is paused.
campaign-state-quiet = Broadcast #{ $id } waits for the end of the quiet hours.
campaign-state-finished = Broadcast #{ $id } is finished.
campaign-state-cancelled = Broadcast #{ $id } was cancelled.
campaign-progress =
    { $bar } { $percent }%
    Sent { $sent } · failed { $failed } · blocked { $blocked } · unknown { $unknown } · remaining { $remaining }
    { $rate } messages a second · about { $eta } left
campaign-report =
    Broadcast #{ $id }: final report.
    Recipients: { $total }. Sent: { $sent }. Failed: { $failed }. Blocked the bot: { $blocked }. Outcome unknown (not sent again): { $unknown }. Unsubscribed before their turn: { $skipped }.
    Time taken: { $duration }.

## Broadcasts: organisers (issue #9)

bc-ask-km = New broadcast. Send the message in Khmer: text, or a photo or document with a Khmer caption.
bc-need-text = Please send text, or a photo or document with a caption.
bc-too-long = That is too long: at most { $limit } characters. Please send a shorter version.
bc-ask-en = Now send the English version for English-speaking workers, or tap Skip.
bc-skip-en = Skip (Khmer only)
bc-en-text-only = Please send the English version as text (the photo or document stays the same).
bc-ask-segment = Who should get it? Every subscriber, or the subscribers of some topics. Then tap Next.
bc-segment-all-on = ✅ Every subscriber
bc-segment-all-off = ⬜ Every subscriber
bc-next = Next
bc-ask-when = When? Tap a button, or type a date and time in Phnom Penh time, for example 2026-10-05 09:00.
bc-when-now = Now (after approval)
bc-when-urgent = Urgent: now, even in the quiet hours
bc-when-weekly = Every week
bc-when-monthly = Every month
bc-ask-first-date = Type the date and time of the first send, Phnom Penh time, for example 2026-10-05 09:00.
bc-bad-date = I could not read that date. Please type it like 2026-10-05 09:00 (Phnom Penh time).
bc-past-date = That time has passed. Please type a date and time in the future.
bc-no-draft = There is no broadcast being written. Send /broadcast to start one.
bc-preview-above = Above: the message exactly as workers will get it.
bc-summary = Broadcast #{ $id } · recipients now: { $recipients } · about { $minutes } min to send · topics: { $topics }
bc-when-now-text = When: as soon as it is approved.
bc-when-at-text = When: { $at } (Phnom Penh time).
bc-when-weekly-text = When: every week, from { $at } (Phnom Penh time).
bc-when-monthly-text = When: every month, from { $at } (Phnom Penh time).
bc-urgent-text = Urgent: it is sent during the quiet hours too.
bc-submit = Request approval
bc-discard = Discard
bc-submitted = Broadcast #{ $id } is waiting for another organiser's approval.
bc-no-approver = There is no other organiser to approve it. Ask an admin to add one to ORGANISER_IDS.
bc-approval-request = Another organiser asks you to approve broadcast #{ $id } (the message is above).
bc-approve = ✅ Approve
bc-reject = ❌ Reject
bc-decision-own = You can't approve or reject your own broadcast: another organiser must.
bc-decision-not-pending = This broadcast is no longer waiting for a decision.
bc-you-approved = You approved broadcast #{ $id }.
bc-you-rejected = You rejected broadcast #{ $id }.
bc-author-approved = Broadcast #{ $id } was approved.
bc-author-rejected = Broadcast #{ $id } was rejected by another organiser.
bc-none = There are no broadcasts yet. Send /broadcast to write one.
bc-line-pending = #{ $id } waiting for approval · { $sent }/{ $total } sent · { $failed } not delivered
bc-line-scheduled = #{ $id } scheduled · { $sent }/{ $total } sent · { $failed } not delivered
bc-line-running = #{ $id } sending · { $sent }/{ $total } sent · { $failed } not delivered
bc-line-paused = #{ $id } paused · { $sent }/{ $total } sent · { $failed } not delivered
bc-line-finished = #{ $id } finished · { $sent }/{ $total } sent · { $failed } not delivered
bc-line-cancelled = #{ $id } cancelled · { $sent }/{ $total } sent · { $failed } not delivered
bc-line-rejected = #{ $id } rejected · { $sent }/{ $total } sent · { $failed } not delivered
bc-line-rsvp = 🙋 { $count } will attend
bc-pause = ⏸ Pause #{ $id }
bc-resume = ▶️ Resume #{ $id }
bc-cancel = ⏹ Cancel #{ $id }
bc-pause-done = Broadcast #{ $id } is paused. Send /campaigns to resume it.
bc-resume-done = Broadcast #{ $id } goes on.
bc-cancel-done = Broadcast #{ $id } is cancelled.
bc-discard-done = The draft #{ $id } is discarded.
bc-control-refused = Broadcast #{ $id } can't be changed that way now. Send /campaigns to see where it stands.
rsvp-thanks = Thank you! We have counted you in.
rsvp-gone = This event is no longer open.
bc-rsvp-add = 🙋 Add an “I'll attend” button
bc-rsvp-remove = 🙋 Remove the “I'll attend” button
bc-rsvp-text = Event: workers get an “I'll attend” button; /campaigns shows the count.

## Broadcasts: the optional profile (issue #9)

profile-sector-ask = One optional question, to send you only what concerns you: where do you work? You can skip it.
profile-skip = Skip
profile-saved = Thank you, noted. Send /subscribe to change your topics.
profile-skipped = OK. Send /subscribe to change your topics.
bc-sector-any-on = ✅ Any kind of work
bc-sector-any-off = ⬜ Any kind of work
sector-garment = Garment or shoe factory
sector-construction = Construction
sector-vendor = Market or street vendor
sector-transport = Tuk-tuk or moto driver
sector-domestic = Domestic worker
sector-other = Other work
sector-garment-on = ✅ { sector-garment }
sector-garment-off = ⬜ { sector-garment }
sector-construction-on = ✅ { sector-construction }
sector-construction-off = ⬜ { sector-construction }
sector-vendor-on = ✅ { sector-vendor }
sector-vendor-off = ⬜ { sector-vendor }
sector-transport-on = ✅ { sector-transport }
sector-transport-off = ⬜ { sector-transport }
sector-domestic-on = ✅ { sector-domestic }
sector-domestic-off = ⬜ { sector-domestic }
sector-other-on = ✅ { sector-other }
sector-other-off = ⬜ { sector-other }

## Broadcasts: paid broadcasts (issue #9)

bc-paid-add = ⚡ Make it a paid broadcast (fast, costs Stars)
bc-paid-remove = ⚡ Not a paid broadcast
bc-paid-text = Paid broadcast: up to 1000 messages a second, about { $stars } Telegram Stars from the bot's balance.

## /help with escalation and broadcasts (integration QA): help is built of these

help-intro =
    I answer questions about the NSSF in Khmer and English.
    • Type your question in your own words.
    • /topics: browse the questions by topic
    • /language: change the language
    • /help: show this message
help-staff =
    • /ask: ask union staff (they see a case number, not your name)
    • /cases: your questions to union staff
help-news =
    • /subscribe: get union news and NSSF alerts; send STOP to stop them
help-outro =
    If I can’t answer, call 1286 (NSSF) or 1297 (Ministry of Labour).
    { privacy }
help-staffed =
    { help-intro }
    { help-staff }
    { help-news }
    { help-outro }

## Escalation meets /language (integration QA): to staff, in STAFF_LANGUAGE

case-not-sent-refused = Not sent: Telegram refused to copy this message to the worker ({ $reason }). Please send it another way.
case-not-sent-command = Not sent: a message starting with / is a command, not an answer. Use the card's buttons, or start a note for colleagues with //.
case-language-changed = The worker now reads { $language }: please reply in { $language }.

## Broadcast summary in the organiser's language (integration QA)

bc-summary-everyone = every subscriber

## Organisers' command menu (integration QA)

cmd-broadcast = Write a new broadcast to subscribers
cmd-campaigns = Your broadcasts: figures, pause, cancel

## Broadcasts: province and employer in the optional profile (issue #9)

profile-noted = Thank you, noted.
profile-province-ask = Another optional question: in which province or in Phnom Penh do you work? You can skip it.
profile-employer-ask = Last optional question: which factory or company do you work for? Type its name, or tap Skip. The union uses it only to send you news about your workplace; your employer is never told.
profile-employer-saved = Thank you, noted: { $employer }. Send /subscribe to change your topics.
bc-ask-province = Which province? Workers who did not give theirs are then left out.
bc-province-every = Every province
bc-province-any = 📍 Every province ▸
province-phnom-penh = Phnom Penh
province-banteay-meanchey = Banteay Meanchey
province-battambang = Battambang
province-kampong-cham = Kampong Cham
province-kampong-chhnang = Kampong Chhnang
province-kampong-speu = Kampong Speu
province-kampong-thom = Kampong Thom
province-kampot = Kampot
province-kandal = Kandal
province-kep = Kep
province-koh-kong = Koh Kong
province-kratie = Kratie
province-mondulkiri = Mondulkiri
province-oddar-meanchey = Oddar Meanchey
province-pailin = Pailin
province-preah-sihanouk = Preah Sihanouk
province-preah-vihear = Preah Vihear
province-prey-veng = Prey Veng
province-pursat = Pursat
province-ratanakiri = Ratanakiri
province-siem-reap = Siem Reap
province-stung-treng = Stung Treng
province-svay-rieng = Svay Rieng
province-takeo = Takeo
province-tbong-khmum = Tbong Khmum
bc-province-phnom-penh = 📍 { province-phnom-penh } ▸
bc-province-banteay-meanchey = 📍 { province-banteay-meanchey } ▸
bc-province-battambang = 📍 { province-battambang } ▸
bc-province-kampong-cham = 📍 { province-kampong-cham } ▸
bc-province-kampong-chhnang = 📍 { province-kampong-chhnang } ▸
bc-province-kampong-speu = 📍 { province-kampong-speu } ▸
bc-province-kampong-thom = 📍 { province-kampong-thom } ▸
bc-province-kampot = 📍 { province-kampot } ▸
bc-province-kandal = 📍 { province-kandal } ▸
bc-province-kep = 📍 { province-kep } ▸
bc-province-koh-kong = 📍 { province-koh-kong } ▸
bc-province-kratie = 📍 { province-kratie } ▸
bc-province-mondulkiri = 📍 { province-mondulkiri } ▸
bc-province-oddar-meanchey = 📍 { province-oddar-meanchey } ▸
bc-province-pailin = 📍 { province-pailin } ▸
bc-province-preah-sihanouk = 📍 { province-preah-sihanouk } ▸
bc-province-preah-vihear = 📍 { province-preah-vihear } ▸
bc-province-prey-veng = 📍 { province-prey-veng } ▸
bc-province-pursat = 📍 { province-pursat } ▸
bc-province-ratanakiri = 📍 { province-ratanakiri } ▸
bc-province-siem-reap = 📍 { province-siem-reap } ▸
bc-province-stung-treng = 📍 { province-stung-treng } ▸
bc-province-svay-rieng = 📍 { province-svay-rieng } ▸
bc-province-takeo = 📍 { province-takeo } ▸
bc-province-tbong-khmum = 📍 { province-tbong-khmum } ▸

## Broadcasts: a segment by employer (issue #9)

bc-employer-any = 🏭 Every factory or company ▸
bc-employer-set = 🏭 Employer: { $employer } ▸
bc-employer-every = Every factory or company
bc-ask-employer = Type the factory's or company's name (part of it is enough). Workers who did not give their employer are then left out.
