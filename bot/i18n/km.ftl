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
    ខ្ញុំឆ្លើយសំណួរអំពី ប.ស.ស ជាភាសាខ្មែរ និងភាសាអង់គ្លេស។
    • សរសេរសំណួររបស់អ្នក តាមពាក្យរបស់អ្នកផ្ទាល់។
    • /topics៖ មើលសំណួរតាមប្រធានបទ
    • /language៖ ប្តូរភាសា
    • /help៖ បង្ហាញសារនេះ
    បើខ្ញុំមិនអាចឆ្លើយបាន សូមទូរស័ព្ទទៅលេខ 1286 (ប.ស.ស) ឬ 1297 (ក្រសួងការងារ)។
    { privacy }

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
