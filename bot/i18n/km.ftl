# សារជាភាសាខ្មែរ។ Khmer messages. Every key here must also be in en.ftl.
# Plain text: the bot sends no HTML or Markdown, so no character needs escaping.

## Shared pieces, referenced by other messages

hotlines = សូមទូរស័ព្ទទៅលេខ 1286 របស់ ប.ស.ស ឬលេខ 1297 របស់ក្រសួងការងារ។ លេខទាំងពីរនេះ ទទួលការហៅ ២៤ម៉ោង។
privacy = យើងរក្សាទុកសំណួររបស់អ្នក ដើម្បីកែលម្អចម្លើយ ប៉ុន្តែយើងមិនរក្សាទុកឈ្មោះ ឬលេខទូរស័ព្ទរបស់អ្នកទេ។ លេខទូរស័ព្ទដែលអ្នកសរសេរក្នុងសំណួរ ត្រូវបានលុបចោល មុនពេលរក្សាទុក។

## /start and languages

start-welcome =
    សួស្តី! ខ្ញុំជាបូតជំនួយ ដែលឆ្លើយសំណួរអំពីបេឡាជាតិសន្តិសុខសង្គម (ប.ស.ស)។
    ខ្ញុំអាចឆ្លើយសំណួរអំពី ការចុះឈ្មោះ ការព្យាបាលជំងឺ គ្រោះថ្នាក់ការងារ ការសម្រាលកូន និងប្រាក់សោធន។
    { privacy }

    សូមជ្រើសរើសភាសា៖
language-prompt = សូមជ្រើសរើសភាសា៖
language-km = ភាសាខ្មែរ
language-en = English
language-chosen = អ្នកបានជ្រើសរើសភាសាខ្មែរ។
ready =
    សូមសរសេរសំណួររបស់អ្នក ឧទាហរណ៍៖ «តើខ្ញុំចុះឈ្មោះចូល ប.ស.ស ដោយរបៀបណា?»
    ឬចុច /topics ដើម្បីមើលសំណួរតាមប្រធានបទ។

## /help

help =
    { help-intro }
    { help-news }
    { help-outro }

## /topics

topics-prompt = សូមជ្រើសរើសប្រធានបទ៖
topics-category =
    { $title }
    សូមជ្រើសរើសសំណួរ៖
button-back = ⬅️ ត្រឡប់ក្រោយ
button-topics = 📚 ប្រធានបទ

## Answers to questions

answer-footer = មូលដ្ឋានច្បាប់៖ { $legal } · ពិនិត្យចុងក្រោយ៖ { $date }
    { $link ->
        [none] សូមបញ្ជាក់ជាមួយ ប.ស.ស តាមលេខ ១២៨៦។
       *[other] ទំព័រផ្លូវការ៖ { $link }
    }
feedback-yes = 👍
feedback-no = 👎
feedback-thanks = អរគុណសម្រាប់មតិរបស់អ្នក!
choices-prompt = តើអ្នកចង់សួរសំណួរណាមួយខាងក្រោមនេះឬ? សូមចុចលើសំណួរមួយ៖
button-none-of-these = ❌ មិនមែនទាំងនេះទេ
no-answer = សូមអភ័យទោស ខ្ញុំមិនទាន់មានចម្លើយសម្រាប់សំណួរនេះនៅឡើយទេ។
person-request = អ្នកចង់និយាយជាមួយមនុស្ស។ សម្រាប់ពេលនេះ មានមនុស្សឆ្លើយតាមលេខទូរស័ព្ទទាំងនេះ៖
not-helped = សូមអភ័យទោស ដែលខ្ញុំមិនអាចជួយអ្នកបាន។
try-again = អ្នកក៏អាចសួរម្តងទៀត ដោយប្រើពាក្យផ្សេង ឬចុច /topics។
ask-too-long = សាររបស់អ្នកវែងពេក។ សូមសួរសំណួរខ្លីមួយ ក្នុងមួយ ឬពីរប្រយោគ។
ask-empty = សូមសរសេរសំណួររបស់អ្នកជាពាក្យ ឧទាហរណ៍៖ «តើខ្ញុំបានប្រាក់ឈ្នួលទេ ពេលខ្ញុំឈឺ?»
smalltalk-greeting = សួស្តី! ខ្ញុំអាចឆ្លើយសំណួរអំពី ប.ស.ស។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics ដើម្បីមើលប្រធានបទ។
smalltalk-thanks = មិនអីទេ! បើមានសំណួរផ្សេងទៀតអំពី ប.ស.ស សូមសរសេរមកខ្ញុំបានគ្រប់ពេល។

## Messages the bot can’t read

media-voice = សូមអភ័យទោស ខ្ញុំមិនទាន់អាចស្តាប់សារជាសំឡេងបានទេ។ សូមសរសេរសំណួររបស់អ្នកជាអក្សរ។
media-picture = សូមអភ័យទោស ខ្ញុំមិនអាចមើលរូបភាព វីដេអូ ឬឯកសារបានទេ។ សូមសរសេរសំណួររបស់អ្នកជាអក្សរ។
media-sticker = អរគុណ! សូមសរសេរសំណួររបស់អ្នក ខ្ញុំនឹងព្យាយាមឆ្លើយ។
media-location = ខ្ញុំមិនត្រូវការទីតាំងរបស់អ្នកទេ។ សូមសរសេរសំណួររបស់អ្នកជាអក្សរ។
media-other = សូមអភ័យទោស ខ្ញុំអានបានតែសារជាអក្សរប៉ុណ្ណោះ។ សូមសរសេរសំណួររបស់អ្នក។
edited-message = ខ្ញុំអានតែសារថ្មីប៉ុណ្ណោះ មិនមែនសារដែលបានកែទេ។ សូមផ្ញើសំណួររបស់អ្នកម្តងទៀត ជាសារថ្មី។
unknown-command = ខ្ញុំមិនស្គាល់ពាក្យបញ្ជានេះទេ។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics ឬ /help។
stale-button = ប៊ូតុងនេះលែងប្រើបានហើយ។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics។
private-only = ខ្ញុំឆ្លើយសំណួរតែក្នុងការជជែកផ្ទាល់ប៉ុណ្ណោះ។ សូមផ្ញើសារមកខ្ញុំដោយផ្ទាល់។
button-private-chat = 💬 ជជែកផ្ទាល់ជាមួយខ្ញុំ
error-generic = សូមអភ័យទោស មានបញ្ហាបច្ចេកទេស។ សូមព្យាយាមម្តងទៀត បន្តិចទៀតនេះ។

## The command menu (setMyCommands)

cmd-start = ចាប់ផ្តើម និងជ្រើសរើសភាសា
cmd-help = របៀបប្រើបូតនេះ
cmd-topics = មើលសំណួរតាមប្រធានបទ
cmd-language = ប្តូរភាសា

## Dates, e.g. "២៤ វិច្ឆិកា ២០២៦" (digits are turned into Khmer digits in Python)

date = { $day } { $month } { $year }
month-1 = មករា
month-2 = កុម្ភៈ
month-3 = មីនា
month-4 = មេសា
month-5 = ឧសភា
month-6 = មិថុនា
month-7 = កក្កដា
month-8 = សីហា
month-9 = កញ្ញា
month-10 = តុលា
month-11 = វិច្ឆិកា
month-12 = ធ្នូ

## Escalation to union staff (issue #8): what workers see

cmd-ask = សួរបុគ្គលិកសហជីព
cmd-cases = សំណួររបស់អ្នកទៅបុគ្គលិកសហជីព

button-ask-staff = 🙋 សួរបុគ្គលិកសហជីព
ask-staff-offer = បុគ្គលិកសហជីពអាចឆ្លើយអ្នកនៅក្នុងការជជែកនេះ។ សូមចុច «សួរបុគ្គលិកសហជីព»។
person-request-staff = អ្នកចង់និយាយជាមួយមនុស្ស។ បុគ្គលិកសហជីពអាចឆ្លើយអ្នកនៅក្នុងការជជែកនេះ ឬអ្នកអាចទូរស័ព្ទទៅលេខទាំងនេះ៖
case-unavailable = សូមអភ័យទោស បូតនេះមិនទាន់អាចភ្ជាប់អ្នកទៅបុគ្គលិកសហជីពបាននៅឡើយទេ។
case-already-open = អ្នកមានករណីលេខ #{ $number } ដែលកំពុងបើកហើយ។ អ្វីៗដែលអ្នកផ្ញើនៅទីនេះ នឹងទៅដល់បុគ្គលិកសហជីព។ បើចង់សួររឿងផ្សេង សូមបិទករណីនោះជាមុនសិន។
button-share-name = 👤 បង្ហាញឈ្មោះរបស់ខ្ញុំដល់បុគ្គលិក
case-name-shared-you = ឥឡូវនេះ បុគ្គលិកសហជីពអាចឃើញឈ្មោះ Telegram របស់អ្នក នៅលើករណី #{ $number }។
case-name-shared-already = បុគ្គលិកអាចឃើញឈ្មោះរបស់អ្នករួចហើយ។
button-close-my-case = ✖️ បិទករណីរបស់ខ្ញុំ
button-close-case-n = ✖️ បិទករណី #{ $number }
button-reopen-case-n = ↩️ បើកករណី #{ $number } ឡើងវិញ
button-skip = រំលង
button-cancel = បោះបង់
case-category-other = រឿងផ្សេងទៀត
case-confirm-text = ខ្ញុំនឹងផ្ញើសំណួរនេះទៅបុគ្គលិកសហជីព៖
    «{ $question }»
case-confirm-media = ខ្ញុំនឹងផ្ញើសាររបស់អ្នកទៅបុគ្គលិកសហជីព។
case-ask-category = តើវាទាក់ទងនឹងរឿងអ្វី? (ដើម្បីឱ្យមនុស្សដែលត្រឹមត្រូវជាអ្នកឆ្លើយ។)
case-ask-employer = តើរឿងនេះទាក់ទងនឹងរោងចក្រ ឬនិយោជកណា? សូមសរសេរឈ្មោះ ឬចុច «រំលង»។ សហជីពប្រើឈ្មោះទាំងនេះ ដើម្បីមើលបញ្ហាដែលកើតឡើងដដែលៗ ហើយលើកជូន ប.ស.ស ប៉ុណ្ណោះ។ និយោជករបស់អ្នកមិនត្រូវបានគេប្រាប់ថាអ្នកណាជាអ្នកសួរទេ។
case-ask-question = សូមសរសេរសំណួររបស់អ្នកសម្រាប់បុគ្គលិកសហជីព។ អ្នកក៏អាចផ្ញើសារជាសំឡេង រូបថត ឬឯកសារបានដែរ។
case-opened = សំណួររបស់អ្នកត្រូវបានផ្ញើទៅបុគ្គលិកសហជីព ជាករណីលេខ #{ $number }។
case-ahead-none = មិនមានសំណួរផ្សេងកំពុងរង់ចាំមុនរបស់អ្នកទេ។
case-ahead-one = មានសំណួរ ១ កំពុងរង់ចាំមុនរបស់អ្នក។
case-ahead-many = មានសំណួរ { $ahead } កំពុងរង់ចាំមុនរបស់អ្នក។
case-sla = ជាធម្មតា បុគ្គលិកឆ្លើយក្នុងរយៈពេល { $hours } ម៉ោងធ្វើការ។
case-busy = មានសំណួរច្រើនមកដល់ក្នុងពេលតែមួយ៖ សំណួររបស់អ្នកនឹងទៅដល់បុគ្គលិក ក្នុងរយៈពេលប្រហែល { $minutes } នាទី។
case-how-it-works = បុគ្គលិកឃើញតែលេខករណី មិនឃើញឈ្មោះរបស់អ្នកទេ។ ចាប់ពីពេលនេះ អ្វីៗដែលអ្នកផ្ញើនៅទីនេះ នឹងទៅដល់ពួកគាត់៖ អក្សរ សារជាសំឡេង រូបថត ឯកសារ។ ចម្លើយរបស់ពួកគាត់ នឹងមកដល់ក្នុងការជជែកនេះ។
promote-backlog-intro = បុគ្គលិកសហជីពបានឆ្លើយសំណួរដែលអ្នកធ្លាប់សួរពីមុន៖
promote-backlog-case = បុគ្គលិកសហជីពបានសរសេរចម្លើយ FAQ ថ្មី ដែលអាចឆ្លើយសំណួររបស់អ្នកក្នុងករណី #{ $number }៖
promote-backlog-case-open = ករណី #{ $number } នៅតែបើក។ ប្រសិនបើចម្លើយនេះមិនឆ្លើយសំណួររបស់អ្នកទេ សូមសរសេរនៅទីនេះ បុគ្គលិកសហជីពនឹងឃើញ។
case-backlog-sent = កម្មករបានទទួលសំណួរ FAQ ថ្មី «{ $question }» ជាចម្លើយដែលអាចជួយបាន។ ករណីនេះនៅតែបើក។
case-edit-relayed = ការកែប្រែរបស់អ្នក ក៏ត្រូវបានផ្ញើទៅបុគ្គលិកសហជីពដែរ (ករណី #{ $number })។
case-relayed = បានផ្ញើទៅបុគ្គលិកសហជីពហើយ (ករណី #{ $number })។
media-voice-staff = ខ្ញុំមិនអាចស្តាប់សារជាសំឡេងបានទេ ប៉ុន្តែបុគ្គលិកសហជីពអាចស្តាប់បាន។ តើចង់ផ្ញើទៅពួកគាត់ទេ?
media-picture-staff = ខ្ញុំមិនអាចមើលរូបភាព វីដេអូ ឬឯកសារបានទេ ប៉ុន្តែបុគ្គលិកសហជីពអាចមើលបាន។ តើចង់ផ្ញើទៅពួកគាត់ទេ?
cases-none = អ្នកមិនមានករណីណាមួយទេ។ បើចង់សួរបុគ្គលិកសហជីព សូមចុច /ask។
cases-list = ករណីរបស់អ្នក៖
cases-line-open = #{ $number } · { $category }៖ កំពុងបើក
cases-line-closed = #{ $number } · { $category }៖ បានបិទ
case-cancelled = យល់ព្រម មិនបានផ្ញើអ្វីទេ។ អ្នកអាចសួរខ្ញុំបានគ្រប់ពេល។
case-closed-you = ករណី #{ $number } ត្រូវបានបិទ។ អ្នកអាចសួរខ្ញុំម្តងទៀតបានគ្រប់ពេល។
case-reopened-you = ករណី #{ $number } ត្រូវបានបើកឡើងវិញ។ អ្វីៗដែលអ្នកផ្ញើនៅទីនេះ នឹងទៅដល់បុគ្គលិកសហជីព។
case-reopen-too-old = ករណី #{ $number } ត្រូវបានបិទលើសពី { $days } ថ្ងៃមកហើយ។ បើចង់សួរបុគ្គលិកសហជីពម្តងទៀត សូមចុច /ask។
case-closed-staff = បុគ្គលិកសហជីពបានបិទករណី #{ $number }។
case-did-it-help = តើចម្លើយរបស់ពួកគាត់បានជួយអ្នកទេ?
case-no-category = គ្មានប្រធានបទ
language-name-km = ខ្មែរ
language-name-en = អង់គ្លេស

## Escalation to union staff (issue #8): the staff group (STAFF_LANGUAGE)

case-card = ករណី #{ $number } · { $category }
    ភាសា៖ { $language } · និយោជក៖ { $employer }
case-card-no-text = (សារជាសំឡេង រូបថត ឬឯកសារ៖ មើលខាងក្រោម)
case-state-open = កំពុងរង់ចាំ៖ មិនទាន់មាននរណាទទួលយកទេ។
case-state-claimed = { $name } បានទទួលយក។
case-state-closed = បានបិទ៖ { $outcome }។
case-card-help = កម្មករមិនបង្ហាញឈ្មោះ។ សូមឆ្លើយនៅក្នុងប្រធានបទនេះ ហើយបូតនឹងចម្លងសាររបស់អ្នកទៅកម្មករ (អក្សរ រូបថត សំឡេង ឯកសារ)។ សារដែលចាប់ផ្តើមដោយ // គឺជាកំណត់ចំណាំសម្រាប់តែមិត្តរួមការងារ។
case-card-help-named = កម្មករបានជ្រើសរើសបង្ហាញឈ្មោះរបស់គាត់ (មើលខាងក្រោម)។ សូមឆ្លើយនៅក្នុងប្រធានបទនេះ ហើយបូតនឹងចម្លងសាររបស់អ្នកទៅកម្មករ (អក្សរ រូបថត សំឡេង ឯកសារ)។ សារដែលចាប់ផ្តើមដោយ // គឺជាកំណត់ចំណាំសម្រាប់តែមិត្តរួមការងារ។
case-name-shared = កម្មករបានជ្រើសរើសបង្ហាញឈ្មោះរបស់គាត់ដល់បុគ្គលិក៖ { $name }
button-claim = ✋ ទទួលយក
button-unclaim = លែងទទួលយក
button-take-over = ទទួលបន្ត
button-close-case = ✅ បិទ
outcome-answered = បានឆ្លើយ
outcome-nssf = បានបញ្ជូនទៅ ប.ស.ស
outcome-legal = បានបញ្ជូនទៅជំនួយផ្លូវច្បាប់របស់សហជីព
outcome-duplicate = ស្ទួន
outcome-noreply = គ្មានការឆ្លើយតប
outcome-worker = កម្មករបានបិទ
staff-choose-outcome = តើបានដោះស្រាយដោយរបៀបណា?
case-closed-by-worker = កម្មករបានបិទករណីនេះ។
case-reopened = កម្មករបានបើកករណីនេះឡើងវិញ។
case-closed-note = { $name } បានបិទករណីនេះ៖ { $outcome }។
case-feedback-helped = កម្មករថា ចម្លើយបានជួយ។ 👍
case-feedback-not-helped = កម្មករថា ចម្លើយមិនបានជួយទេ។ 👎
case-not-sent-closed = មិនបានផ្ញើទេ៖ ករណីនេះត្រូវបានបិទហើយ។
case-not-sent-blocked = មិនបានផ្ញើទេ៖ កម្មករបានបិទ (block) បូត។
case-worker-blocked = កម្មករបានបិទ (block) បូត៖ គ្មានសារណាអាចទៅដល់គាត់ទៀតទេ។ ករណីនេះត្រូវបានបិទជា «គ្មានការឆ្លើយតប»។
case-assigned = { $name } បានប្រគល់ករណីនេះឱ្យ { $to }។
staff-assign-how = ដើម្បីប្រគល់ករណីនេះឱ្យមិត្តរួមការងារ សូមឆ្លើយតបទៅសារមួយរបស់គាត់ នៅក្នុងប្រធានបទនេះ ដោយ /assign។
case-taken-over = { $name } បានទទួលបន្តករណីនេះពី { $previous }។
staff-stale = ករណីនេះលែងមានទៀតហើយ។
staff-case-closed = ករណីនេះត្រូវបានបិទរួចហើយ។
staff-yours-already = ករណីនេះជារបស់អ្នករួចហើយ។
staff-claimed-by = { $name } បានទទួលយកករណីនេះរួចហើយ។
staff-claimed-you = ករណី #{ $number } ជារបស់អ្នក។
staff-not-yours = មានតែអ្នកដែលបានទទួលយកទេ ទើបអាចលែងទទួលយកបាន។
staff-unclaimed = ករណីនេះបានត្រឡប់ទៅក្នុងជួរវិញ។
staff-ok = យល់ព្រម
staff-only = មានតែបុគ្គលិកសហជីពទេ ដែលអាចធ្វើបាន។

## Escalation: the first-response target and the digest (staff group)

button-open-case = បើកករណី
sla-reminder = ⏰ { $case } បានរង់ចាំ { $hours } ម៉ោងធ្វើការ ដោយគ្មានចម្លើយ។ តើមាននរណាអាចទទួលយកបានទេ?
sla-admins = ⏰ { $case } មិនទាន់មានចម្លើយពីបុគ្គលិកសហជីព អស់រយៈពេល { $hours } ម៉ោងធ្វើការហើយ។
digest = របាយការណ៍ប្រចាំថ្ងៃនៃករណី
    ថ្មី៖ { $new } · កំពុងបើក៖ { $open } · ហួសពេល៖ { $overdue } · បានបិទ៖ { $closed }
    រយៈពេលមធ្យម (median) រហូតដល់ចម្លើយដំបូង៖ { $median }
    សំណួរ FAQ ដែលដល់ពេលត្រូវពិនិត្យឡើងវិញ៖ { $reviews }

## Escalation: content gaps (/gaps in the staff group)

gaps-none = មិនមានសំណួរដែលគ្មានចម្លើយ ក្នុងរយៈពេល { $days } ថ្ងៃចុងក្រោយនេះទេ។
gaps-title = សំណួរចំនួន { $count } ក្នុងរយៈពេល { $days } ថ្ងៃចុងក្រោយ មិនបានទទួលចម្លើយ ឬទទួលបាន 👎។ ក្រុមធំៗជាងគេ៖
gaps-line = { $size } សំណួរ៖ { $examples }

## Escalation: from answers to FAQ (staff group)

button-promote = 📚 ដាក់ចូល FAQ
button-approve = ✅ យល់ព្រម
button-reject = ✖️ បដិសេធ
promote-form = ដើម្បីបង្កើតសំណួរ FAQ ពីករណី #{ $number } សូមផ្ញើសារនៅក្នុងប្រធានបទនេះ ដូចខាងក្រោម (ភាសាខ្មែរ ចាំបាច់ ភាសាអង់គ្លេស ស្រេចចិត្ត។ បន្ទាត់ «+» នីមួយៗ គឺជារបៀបផ្សេងទៀតដែលកម្មករសួរ)៖
    /faq
    Q: សំណួរជាភាសាខ្មែរ
    A: ចម្លើយជាភាសាខ្មែរ
    Q en: សំណួរជាភាសាអង់គ្លេស
    A en: ចម្លើយជាភាសាអង់គ្លេស
    + របៀបសួរមួយទៀត
    Topic: មួយក្នុងចំណោម { $topics } (បើករណីគ្មានប្រធានបទ)
    មិត្តរួមការងារម្នាក់ទៀត ត្រូវយល់ព្រមជាមុនសិន ទើបកម្មករអាចឃើញ។
promote-preview = សេចក្តីព្រាង FAQ #{ $number } ដោយ { $author } · ប្រធានបទ { $topic }
    Q: { $qkm }
    A: { $akm }
    Q en: { $qen }
    A en: { $aen }
    ក៏សួរថា៖ { $phrasings }
    បុគ្គលិកម្នាក់ទៀតអាចយល់ព្រមបាន។
promote-missing-khmer = មិនបានរក្សាទុកទេ៖ ត្រូវការសំណួរជាភាសាខ្មែរ (Q:) និងចម្លើយជាភាសាខ្មែរ (A:)។
promote-missing-topic = មិនបានរក្សាទុកទេ៖ សូមបន្ថែម «Topic:» ជាមួយមួយក្នុងចំណោម { $topics }។
promote-decided = សេចក្តីព្រាងនេះ ត្រូវបានសម្រេចរួចហើយ។
promote-not-own = ត្រូវឱ្យអ្នកផ្សេងយល់ព្រមលើសំណួរដែលអ្នកសរសេរខ្លួនឯង។
promote-live = សំណួរ FAQ #{ $number } ចាប់ផ្តើមប្រើហើយ ដោយការយល់ព្រមរបស់ { $name }។ កម្មករដែលធ្លាប់សួររឿងនេះ ហើយមិនបានទទួលចម្លើយ កំពុងទទួលចម្លើយនេះ។
promote-rejected = សេចក្តីព្រាង FAQ #{ $number } ត្រូវបានបដិសេធដោយ { $name }។
## Broadcasts: subscribing (issue #9)

subscribe-offer = តើអ្នកចង់ទទួលព័ត៌មានពីសហជីព និងការជូនដំណឹងអំពី ប.ស.ស នៅទីនេះទេ? ប្រហែលពីរបីសារក្នុងមួយខែ។ អ្នកអាចឈប់ទទួលបានគ្រប់ពេល ដោយផ្ញើពាក្យ ឈប់។
subscribe-yes = ✅ បាទ/ចាស ផ្ញើព័ត៌មានមកខ្ញុំ
subscribe-no = ទេ អរគុណ
subscribe-confirmed =
    អ្នកបានចុះឈ្មោះទទួលព័ត៌មានពីសហជីព និងការជូនដំណឹងអំពី ប.ស.ស គ្រប់ប្រធានបទ។
    ចុចលើប្រធានបទណាមួយ ដើម្បីបិទ ឬបើកវា រួចចុច «រួចរាល់»។ ផ្ញើពាក្យ ឈប់ គ្រប់ពេល ដើម្បីឈប់ទទួល។
subscribe-topics = ចុចលើប្រធានបទណាមួយ ដើម្បីបិទ ឬបើកវា រួចចុច «រួចរាល់»។
subscribe-topics-done = រួចរាល់
subscribe-topics-saved = អ្នកនឹងទទួលព័ត៌មានទូទៅពីសហជីព និងការជូនដំណឹងអំពី៖
subscribe-no-topics = អ្នកនឹងទទួលតែព័ត៌មានទូទៅពីសហជីពប៉ុណ្ណោះ។ ផ្ញើ /subscribe ដើម្បីជ្រើសរើសប្រធានបទម្តងទៀត។
subscribe-declined = យល់ព្រម ខ្ញុំនឹងមិនផ្ញើព័ត៌មានទៅអ្នកទេ។ បើអ្នកប្តូរចិត្ត សូមផ្ញើ /subscribe។
subscribe-not-subscribed = អ្នកមិនទាន់បានចុះឈ្មោះទេ។ ផ្ញើ /subscribe ដើម្បីទទួលព័ត៌មានពីសហជីព និងការជូនដំណឹងអំពី ប.ស.ស។
unsubscribed = អ្នកបានឈប់ទទួលហើយ៖ ខ្ញុំនឹងមិនផ្ញើព័ត៌មាន ឬការជូនដំណឹងទៅអ្នកទៀតទេ។ អ្នកនៅតែអាចសួរសំណួរខ្ញុំបាន។ ផ្ញើ /subscribe ដើម្បីចាប់ផ្តើមទទួលម្តងទៀត។
topic-pension = ប្រាក់សោធន
topic-health = ការថែទាំសុខភាព
topic-accident = គ្រោះថ្នាក់ការងារ
topic-maternity = ការសម្រាលកូន
topic-union = យុទ្ធនាការសហជីព
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
cmd-subscribe = ទទួលព័ត៌មានពីសហជីព និងការជូនដំណឹងអំពី ប.ស.ស

## Broadcasts: progress and reports for organisers (issue #9)

rsvp-button = 🙋 ខ្ញុំនឹងចូលរួម
campaign-state-running = ការផ្សាយលេខ { $id } កំពុងផ្ញើ។
campaign-state-paused = ការផ្សាយលេខ { $id } បានផ្អាក។
campaign-state-quiet = ការផ្សាយលេខ { $id } កំពុងរង់ចាំឱ្យផុតម៉ោងស្ងាត់។
campaign-state-finished = ការផ្សាយលេខ { $id } បានបញ្ចប់។
campaign-state-cancelled = ការផ្សាយលេខ { $id } ត្រូវបានលុបចោល។
campaign-progress =
    { $bar } { $percent }%
    បានផ្ញើ { $sent } · បរាជ័យ { $failed } · បានបិទបូត { $blocked } · មិនដឹងលទ្ធផល { $unknown } · នៅសល់ { $remaining }
    { $rate } សារក្នុងមួយវិនាទី · នៅសល់ប្រហែល { $eta }
campaign-report =
    ការផ្សាយលេខ { $id }៖ របាយការណ៍ចុងក្រោយ។
    អ្នកទទួល៖ { $total }។ បានផ្ញើ៖ { $sent }។ បរាជ័យ៖ { $failed }។ បានបិទបូត៖ { $blocked }។ មិនដឹងលទ្ធផល (មិនផ្ញើម្តងទៀតទេ)៖ { $unknown }។ បានឈប់ទទួលមុនវេនរបស់ពួកគេ៖ { $skipped }។
    រយៈពេល៖ { $duration }។

## Broadcasts: organisers (issue #9)

bc-ask-km = ការផ្សាយថ្មី។ សូមផ្ញើសារជាភាសាខ្មែរ៖ អត្ថបទ ឬរូបភាព ឬឯកសារ ដែលមានចំណងជើងជាភាសាខ្មែរ។
bc-need-text = សូមផ្ញើអត្ថបទ ឬរូបភាព ឬឯកសារ ដែលមានចំណងជើង។
bc-too-long = វាវែងពេក៖ យ៉ាងច្រើន { $limit } តួអក្សរ។ សូមផ្ញើជំនាន់ខ្លីជាងនេះ។
bc-ask-en = ឥឡូវសូមផ្ញើជំនាន់ភាសាអង់គ្លេស សម្រាប់កម្មករដែលនិយាយភាសាអង់គ្លេស ឬចុច «រំលង»។
bc-skip-en = រំលង (តែភាសាខ្មែរ)
bc-en-text-only = សូមផ្ញើជំនាន់ភាសាអង់គ្លេសជាអត្ថបទ (រូបភាព ឬឯកសារនៅដដែល)។
bc-ask-segment = តើនរណាគួរទទួលវា? អ្នកចុះឈ្មោះទាំងអស់ ឬអ្នកចុះឈ្មោះនៃប្រធានបទខ្លះ។ បន្ទាប់មកចុច «បន្ទាប់»។
bc-segment-all-on = ✅ អ្នកចុះឈ្មោះទាំងអស់
bc-segment-all-off = ⬜ អ្នកចុះឈ្មោះទាំងអស់
bc-next = បន្ទាប់
bc-ask-when = ពេលណា? ចុចប៊ូតុងមួយ ឬវាយកាលបរិច្ឆេទ និងម៉ោង តាមម៉ោងភ្នំពេញ ឧទាហរណ៍ 2026-10-05 09:00។
bc-when-now = ឥឡូវ (ក្រោយការអនុម័ត)
bc-when-urgent = បន្ទាន់៖ ឥឡូវ ទោះក្នុងម៉ោងស្ងាត់ក៏ដោយ
bc-when-weekly = រៀងរាល់សប្តាហ៍
bc-when-monthly = រៀងរាល់ខែ
bc-ask-first-date = សូមវាយកាលបរិច្ឆេទ និងម៉ោងនៃការផ្ញើលើកដំបូង តាមម៉ោងភ្នំពេញ ឧទាហរណ៍ 2026-10-05 09:00។
bc-bad-date = ខ្ញុំមិនអាចអានកាលបរិច្ឆេទនោះបានទេ។ សូមវាយដូចនេះ 2026-10-05 09:00 (ម៉ោងភ្នំពេញ)។
bc-past-date = ពេលនោះបានកន្លងផុតហើយ។ សូមវាយកាលបរិច្ឆេទ និងម៉ោងនាពេលខាងមុខ។
bc-no-draft = មិនមានការផ្សាយណាកំពុងសរសេរទេ។ ផ្ញើ /broadcast ដើម្បីចាប់ផ្តើម។
bc-preview-above = ខាងលើ៖ សារដូចដែលកម្មករនឹងទទួលបាន។
bc-summary = ការផ្សាយលេខ { $id } · អ្នកទទួលឥឡូវ៖ { $recipients } · ប្រហែល { $minutes } នាទីដើម្បីផ្ញើ · ប្រធានបទ៖ { $topics }
bc-when-now-text = ពេលណា៖ ភ្លាមៗ ក្រោយពេលអនុម័ត។
bc-when-at-text = ពេលណា៖ { $at } (ម៉ោងភ្នំពេញ)។
bc-when-weekly-text = ពេលណា៖ រៀងរាល់សប្តាហ៍ ចាប់ពី { $at } (ម៉ោងភ្នំពេញ)។
bc-when-monthly-text = ពេលណា៖ រៀងរាល់ខែ ចាប់ពី { $at } (ម៉ោងភ្នំពេញ)។
bc-urgent-text = បន្ទាន់៖ វាត្រូវបានផ្ញើក្នុងម៉ោងស្ងាត់ផងដែរ។
bc-submit = ស្នើសុំការអនុម័ត
bc-discard = បោះបង់
bc-submitted = ការផ្សាយលេខ { $id } កំពុងរង់ចាំការអនុម័តពីអ្នករៀបចំម្នាក់ទៀត។
bc-no-approver = មិនមានអ្នករៀបចំផ្សេងទៀតដើម្បីអនុម័តវាទេ។ សូមស្នើអ្នកគ្រប់គ្រងឱ្យបន្ថែមម្នាក់ទៅក្នុង ORGANISER_IDS។
bc-approval-request = អ្នករៀបចំម្នាក់ទៀតស្នើឱ្យអ្នកអនុម័តការផ្សាយលេខ { $id } (សារនៅខាងលើ)។
bc-approve = ✅ អនុម័ត
bc-reject = ❌ បដិសេធ
bc-decision-own = អ្នកមិនអាចអនុម័ត ឬបដិសេធការផ្សាយរបស់ខ្លួនឯងបានទេ៖ ត្រូវឱ្យអ្នករៀបចំម្នាក់ទៀតធ្វើ។
bc-decision-not-pending = ការផ្សាយនេះលែងរង់ចាំការសម្រេចចិត្តទៀតហើយ។
bc-you-approved = អ្នកបានអនុម័តការផ្សាយលេខ { $id }។
bc-you-rejected = អ្នកបានបដិសេធការផ្សាយលេខ { $id }។
bc-author-approved = ការផ្សាយលេខ { $id } ត្រូវបានអនុម័ត។
bc-author-rejected = ការផ្សាយលេខ { $id } ត្រូវបានបដិសេធដោយអ្នករៀបចំម្នាក់ទៀត។
bc-none = មិនទាន់មានការផ្សាយនៅឡើយទេ។ ផ្ញើ /broadcast ដើម្បីសរសេរមួយ។
bc-line-pending = លេខ { $id } រង់ចាំការអនុម័ត · បានផ្ញើ { $sent }/{ $total } · មិនបានដល់ { $failed }
bc-line-scheduled = លេខ { $id } បានកំណត់ពេល · បានផ្ញើ { $sent }/{ $total } · មិនបានដល់ { $failed }
bc-line-running = លេខ { $id } កំពុងផ្ញើ · បានផ្ញើ { $sent }/{ $total } · មិនបានដល់ { $failed }
bc-line-paused = លេខ { $id } បានផ្អាក · បានផ្ញើ { $sent }/{ $total } · មិនបានដល់ { $failed }
bc-line-finished = លេខ { $id } បានបញ្ចប់ · បានផ្ញើ { $sent }/{ $total } · មិនបានដល់ { $failed }
bc-line-cancelled = លេខ { $id } បានលុបចោល · បានផ្ញើ { $sent }/{ $total } · មិនបានដល់ { $failed }
bc-line-rejected = លេខ { $id } ត្រូវបានបដិសេធ · បានផ្ញើ { $sent }/{ $total } · មិនបានដល់ { $failed }
bc-line-rsvp = 🙋 { $count } នាក់នឹងចូលរួម
bc-pause = ⏸ ផ្អាកលេខ { $id }
bc-resume = ▶️ បន្តលេខ { $id }
bc-cancel = ⏹ លុបចោលលេខ { $id }
bc-pause-done = ការផ្សាយលេខ { $id } បានផ្អាក។ ផ្ញើ /campaigns ដើម្បីបន្តវា។
bc-resume-done = ការផ្សាយលេខ { $id } បន្តទៅមុខ។
bc-cancel-done = ការផ្សាយលេខ { $id } ត្រូវបានលុបចោល។
bc-discard-done = សេចក្តីព្រាងលេខ { $id } ត្រូវបានបោះបង់។
bc-control-refused = មិនអាចផ្លាស់ប្តូរការផ្សាយលេខ { $id } បែបនោះឥឡូវនេះទេ។ ផ្ញើ /campaigns ដើម្បីមើលស្ថានភាពរបស់វា។
rsvp-thanks = អរគុណ! យើងបានរាប់បញ្ចូលអ្នកហើយ។
rsvp-gone = ព្រឹត្តិការណ៍នេះលែងបើកទៀតហើយ។
bc-rsvp-add = 🙋 បន្ថែមប៊ូតុង «ខ្ញុំនឹងចូលរួម»
bc-rsvp-remove = 🙋 ដកប៊ូតុង «ខ្ញុំនឹងចូលរួម» ចេញ
bc-rsvp-text = ព្រឹត្តិការណ៍៖ កម្មករទទួលបានប៊ូតុង «ខ្ញុំនឹងចូលរួម»។ /campaigns បង្ហាញចំនួន។

## Broadcasts: the optional profile (issue #9)

profile-sector-ask = សំណួរមួយដែលមិនចាំបាច់ឆ្លើយ ដើម្បីផ្ញើតែអ្វីដែលទាក់ទងនឹងអ្នក៖ តើអ្នកធ្វើការនៅឯណា? អ្នកអាចរំលងវាបាន។
profile-skip = រំលង
profile-saved = អរគុណ យើងបានកត់ត្រាហើយ។ ផ្ញើ /subscribe ដើម្បីប្តូរប្រធានបទរបស់អ្នក។
profile-skipped = យល់ព្រម។ ផ្ញើ /subscribe ដើម្បីប្តូរប្រធានបទរបស់អ្នក។
bc-sector-any-on = ✅ ការងារគ្រប់ប្រភេទ
bc-sector-any-off = ⬜ ការងារគ្រប់ប្រភេទ
sector-garment = រោងចក្រកាត់ដេរ ឬស្បែកជើង
sector-construction = សំណង់
sector-vendor = អ្នកលក់ដូរនៅផ្សារ ឬតាមផ្លូវ
sector-transport = អ្នករត់តុកតុក ឬម៉ូតូឌុប
sector-domestic = អ្នកធ្វើការតាមផ្ទះ
sector-other = ការងារផ្សេងទៀត
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

bc-paid-add = ⚡ ធ្វើជាការផ្សាយបង់ប្រាក់ (លឿន ចំណាយផ្កាយ)
bc-paid-remove = ⚡ មិនមែនជាការផ្សាយបង់ប្រាក់
bc-paid-text = ការផ្សាយបង់ប្រាក់៖ រហូតដល់ 1000 សារក្នុងមួយវិនាទី ប្រហែល { $stars } ផ្កាយ Telegram ពីសមតុល្យរបស់បូត។

## /help with escalation and broadcasts (integration QA): help is built of these

help-intro =
    ខ្ញុំឆ្លើយសំណួរអំពី ប.ស.ស ជាភាសាខ្មែរ និងភាសាអង់គ្លេស។
    • សរសេរសំណួររបស់អ្នក តាមពាក្យរបស់អ្នកផ្ទាល់។
    • /topics៖ មើលសំណួរតាមប្រធានបទ
    • /language៖ ប្តូរភាសា
    • /help៖ បង្ហាញសារនេះ
help-staff =
    • /ask៖ សួរបុគ្គលិកសហជីព (ពួកគាត់ឃើញតែលេខករណី មិនឃើញឈ្មោះរបស់អ្នកទេ)
    • /cases៖ សំណួររបស់អ្នកទៅបុគ្គលិកសហជីព
help-news =
    • /subscribe៖ ទទួលព័ត៌មានពីសហជីព និងការជូនដំណឹងអំពី ប.ស.ស។ ផ្ញើពាក្យ ឈប់ ដើម្បីឈប់ទទួល
help-outro =
    បើខ្ញុំមិនអាចឆ្លើយបាន សូមទូរស័ព្ទទៅលេខ 1286 (ប.ស.ស) ឬ 1297 (ក្រសួងការងារ)។
    { privacy }
help-staffed =
    { help-intro }
    { help-staff }
    { help-news }
    { help-outro }

## Escalation meets /language (integration QA): to staff, in STAFF_LANGUAGE

case-not-sent-refused = មិនបានផ្ញើទេ៖ Telegram មិនព្រមចម្លងសារនេះទៅកម្មករទេ ({ $reason })។ សូមផ្ញើវាតាមរបៀបផ្សេង។
case-not-sent-command = មិនបានផ្ញើទេ៖ សារដែលចាប់ផ្តើមដោយ / គឺជាពាក្យបញ្ជា មិនមែនជាចម្លើយទេ។ សូមប្រើប៊ូតុងនៅក្រោមសារករណី ឬចាប់ផ្តើមកំណត់ចំណាំសម្រាប់មិត្តរួមការងារដោយ //។
case-language-changed = ឥឡូវនេះ កម្មករអានជាភាសា{ $language }៖ សូមឆ្លើយជាភាសា{ $language }។

## Broadcast summary in the organiser's language (integration QA)

bc-summary-everyone = អ្នកចុះឈ្មោះទាំងអស់

## Organisers' command menu (integration QA)

cmd-broadcast = ផ្ញើការផ្សាយថ្មីទៅអ្នកចុះឈ្មោះ
cmd-campaigns = ការផ្សាយរបស់អ្នក៖ តួលេខ ផ្អាក បោះបង់

## Broadcasts: province and employer in the optional profile (issue #9)

profile-noted = អរគុណ យើងបានកត់ត្រាហើយ។
profile-province-ask = សំណួរមួយទៀតដែលមិនចាំបាច់ឆ្លើយ៖ តើអ្នកធ្វើការនៅខេត្តណា ឬនៅរាជធានីភ្នំពេញ? អ្នកអាចរំលងវាបាន។
profile-employer-ask = សំណួរចុងក្រោយដែលមិនចាំបាច់ឆ្លើយ៖ តើអ្នកធ្វើការនៅរោងចក្រ ឬក្រុមហ៊ុនណា? សូមសរសេរឈ្មោះ ឬចុច «រំលង»។ សហជីពប្រើវាសម្រាប់តែផ្ញើព័ត៌មានអំពីកន្លែងធ្វើការរបស់អ្នកប៉ុណ្ណោះ។ និយោជករបស់អ្នកមិនដែលត្រូវបានគេប្រាប់ឡើយ។
profile-employer-saved = អរគុណ យើងបានកត់ត្រាហើយ៖ { $employer }។ ផ្ញើ /subscribe ដើម្បីប្តូរប្រធានបទរបស់អ្នក។
bc-ask-province = ខេត្តណា? កម្មករដែលមិនបានប្រាប់ខេត្តរបស់ខ្លួន នឹងមិនទទួលបានទេ។
bc-province-every = គ្រប់ខេត្ត
bc-province-any = 📍 គ្រប់ខេត្ត ▸
province-phnom-penh = រាជធានីភ្នំពេញ
province-banteay-meanchey = បន្ទាយមានជ័យ
province-battambang = បាត់ដំបង
province-kampong-cham = កំពង់ចាម
province-kampong-chhnang = កំពង់ឆ្នាំង
province-kampong-speu = កំពង់ស្ពឺ
province-kampong-thom = កំពង់ធំ
province-kampot = កំពត
province-kandal = កណ្តាល
province-kep = កែប
province-koh-kong = កោះកុង
province-kratie = ក្រចេះ
province-mondulkiri = មណ្ឌលគិរី
province-oddar-meanchey = ឧត្តរមានជ័យ
province-pailin = ប៉ៃលិន
province-preah-sihanouk = ព្រះសីហនុ
province-preah-vihear = ព្រះវិហារ
province-prey-veng = ព្រៃវែង
province-pursat = ពោធិ៍សាត់
province-ratanakiri = រតនគិរី
province-siem-reap = សៀមរាប
province-stung-treng = ស្ទឹងត្រែង
province-svay-rieng = ស្វាយរៀង
province-takeo = តាកែវ
province-tbong-khmum = ត្បូងឃ្មុំ
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

bc-employer-any = 🏭 គ្រប់រោងចក្រ ឬក្រុមហ៊ុន ▸
bc-employer-set = 🏭 និយោជក៖ { $employer } ▸
bc-employer-every = គ្រប់រោងចក្រ ឬក្រុមហ៊ុន
bc-ask-employer = សូមវាយឈ្មោះរោងចក្រ ឬក្រុមហ៊ុន (ផ្នែកមួយនៃឈ្មោះក៏បាន)។ កម្មករដែលមិនបានប្រាប់ឈ្មោះនិយោជករបស់ខ្លួន នឹងមិនទទួលបានទេ។
