#!/bin/sh
# truce extract (DESIGN section 9): the labelled set of tests/data/news
# scored by tests/news/score.c with floors that fail the build when the
# figures drop: incidents' precision and recall and every field's accuracy
# at 0.90 (issue 9's target), and every statement found with its
# effective time exact (54 of 54; docs/extract.md); the seed article's
# agreement statement; the command's errors.
. "$(dirname "$0")/lib.sh"
SCORE="$(dirname "$TRUCE_BIN")/news_score"
"$SCORE" "$SRC" 0.90 0.90 0.90 1.00 > score.txt || { cat score.txt; fail "the news extractor fell below its floor"; }
cat score.txt
# Every other news set, at floors against regressions below today's
# figures: the folder, then floors for incident precision, recall, every
# field and statements exact. Each set was written by its own labeller;
# from heldout3 on, blind, and held out for one round of rules before its
# misses were read to develop the next (docs/extract.md, "Measured", gives
# every set's first run and today's figures).
while read -r set fp fr ff fs; do
    case $set in ''|'#'*) continue ;; esac
    out=$set.txt
    NEWS_SCORE_SET=tests/data/news/$set "$SCORE" "$SRC" "$fp" "$fr" "$ff" "$fs" > "$out" ||
        { cat "$out"; fail "the news extractor fell below its floor on $set"; }
    cat "$out"
done <<'SETS'
dev      0.95 0.95 0.88 0.80
heldout  0.95 0.95 0.90 0.85
heldout2 0.90 0.95 0.88 0.85
heldout3 0.93 0.93 0.90 0.92
heldout4 0.93 0.90 0.88 0.88
heldout5 0.93 0.93 0.85 0.90
heldout6 0.90 0.88 0.85 0.95
heldout7 0.88 0.92 0.88 0.85
# heldout8: blind for the eighth round (0.884, 0.927, fields from 0.895,
# 18 of 18 statements exact); developed on in the ninth
heldout8 0.93 0.95 0.88 0.95
# heldout9: blind for the eighth round too (0.831, 0.885, fields from
# 0.870, 22 of 22); developed on in the ninth
heldout9 0.95 0.95 0.88 0.95
# heldout10: blind for the ninth round (0.923, 0.952, fields from 0.917,
# 21 of 24); developed on in the tenth
heldout10 0.95 0.95 0.88 0.90
# heldout11: blind for the tenth round (0.930, 0.883, fields from 0.925,
# 18 of 22); developed on in the eleventh
heldout11 0.95 0.92 0.88 0.95
# heldout12: blind for the tenth and eleventh rounds (0.836, 0.836, fields
# from 0.893, 19 of 24); developed on after them
heldout12 0.90 0.90 0.88 0.85
SETS
truce init > /dev/null
truce gazetteer load "$SRC/tests/data/news/gazetteer.csv" > /dev/null || fail "gazetteer"
# a sentence of our own: the act, the place, the day, the dead, the site
cat > a.txt <<'TXT'
Government warplanes struck a hospital in Maarat al-Numan on Monday, killing at least 12 people, activists said.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json a.txt
jq -e '.incidents | length == 1' "$T/out" > /dev/null || { cat "$T/out"; fail "one incident"; }
expect_eq "the incident" "$(jq -c '.incidents[0] | [.category, .place.name, .date_start, .fatalities, .fatalities_low, .protected_site, .hedged, .perpetrator.kind]' "$T/out")" '["remote_violence","Maarat al-Numan","2016-02-15",12,12,true,true,"state"]'
expect_eq "its sentence is its span" "$(jq -r '.incidents[0] | .span | "\(.[0]) \(.[1])"' "$T/out")" "0 $(($(wc -c < a.txt) - 1))"
expect_eq "the words behind the date" "$(jq -r '.incidents[0].evidence.date' "$T/out")" "on Monday"
# the third round (docs/extract.md): times written as four digits before a
# zone's name, sundown, "took hold", a halt announced, a day "since" a
# month that is not the start's, readiness and denied violations (no
# statement), "spared", an anniversary, a day of the act's own after
# "hours before"
cat > r3.txt <<'TXT'
The army said it would halt combat operations around Atarib for 72 hours from 0600 Damascus time on Thursday. A truce took hold in Idlib at sundown on Tuesday. A ceasefire came into force in Saraqib at midnight, after the worst month since January. Turkey said it was ready to extend the truce if the army stopped its raids. Monitors said they had recorded no violations of the truce in Kafr Nabl.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r3.txt
expect_eq "the third round's statements" "$(jq -c '[.agreements[] | [.action, .effective, .duration_hours]]' "$T/out")" \
    '[["announced","2016-02-18T06:00",72],["in_effect","2016-02-16T19:00",null],["in_effect","2016-02-17T00:00",null]]'
cat > r3b.txt <<'TXT'
Atarib has been spared shelling since the truce began. In Saraqib, hundreds of people gathered on Tuesday, a year to the day after government jets killed 40 people in the town's market. In the last hours before the deadline, rockets hit Kafr Nabl late on Monday, killing two people.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r3b.txt
expect_eq "the third round's incidents" "$(jq -c '[.incidents[] | [.category, .place.name, .date_start]]' "$T/out")" \
    '[["remote_violence","Kafranbel","2016-02-15"]]'
# the fourth round (docs/extract.md): a city beside its district gives
# the district; a place that speaks ("Officials in Damascus said") is no
# act's place; raids by the arms named; "and shelled the village of X" is
# a second deed on the first one's day; "the town's" is the place last
# called a town; fears are no acts
cat > r4.txt <<'TXT'
In Aleppo, shells hit the al-Shaar district on Monday, killing two people. Officials in Damascus said rebels fired mortars at Jobar on Monday. Warplanes carried out 20 raids on the town of Saraqib on Monday, and rebels launched an offensive near Halfaya on Tuesday and shelled the village of Souran. Government forces fought their way into the town's eastern neighbourhoods on Tuesday. Residents feared a ground assault on Idlib was imminent.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r4.txt
expect_eq "the fourth round's incidents" "$(jq -c '[.incidents[] | [.category, .subcategory, .place.name, .date_start]]' "$T/out")" \
    '[["remote_violence","Shelling/artillery/missile attack","al-Shaar","2016-02-15"],["remote_violence","Shelling/artillery/missile attack","Jobar","2016-02-15"],["remote_violence","Air/drone strike","Saraqib","2016-02-15"],["battle","Armed clash","Halfaya","2016-02-16"],["remote_violence","Shelling/artillery/missile attack","Souran","2016-02-16"],["battle","Armed clash","Saraqib","2016-02-16"]]'
# statements: a collapse's end, a breach told back without the noun, "the
# pause" with its start (an anchor with a start is a statement) and an
# extension's new end (no start: none is said), "a similar truce" is
# another's
cat > r4b.txt <<'TXT'
A 72-hour truce in Yemen expired at 11:59 p.m. on Saturday (2059 GMT). Both sides accused each other of violations. The pause, declared by the United Nations, had begun at noon on Wednesday and was extended on Thursday by 24 hours, to 6 p.m. on Friday. A similar truce declared in May broke down within days.
TXT
expect_rc 0 truce extract --date 2016-02-21 --tz Asia/Aden --source t --format json r4b.txt
expect_eq "the fourth round's statements" "$(jq -c '[.agreements[] | [.action, .effective, .until, .brokers]]' "$T/out")" \
    '[["collapsed",null,"2016-02-20T23:59",[]],["violated",null,null,[]],["in_effect","2016-02-17T12:00",null,["united-nations"]],["extended",null,"2016-02-19T18:00",["united-nations"]]]'
# ... and where they must not fire (a review's cases): "the Idlib town of
# X" is X; a second deed is no trend; fears, intents and habits govern
# only the act right after them; "The air strikes on X on Tuesday" with a
# place and day of its own is new; "the homes of civilians" seized are no
# abduction; parcels bundled, mortar rounds pelted, captives marched are
# no abduction, riot or protest
cat > rv.txt <<'TXT'
Government air strikes hit the Idlib town of Kafranbel on Monday. Syrian jets bombed Kafranbel on Monday and dropped barrel bombs on Khan Sheikhoun. Rebels trying to prevent an army advance shelled Saraqib on Monday. Amid fears of a wider war, Russian jets bombed Atarib on Monday. Troops who have long besieged the town shelled Halfaya on Monday. Rebels shelled Souran on Sunday. The air strikes on Inkhil on Tuesday killed 12 people. IS fighters seized the homes of civilians in Taybat al-Imam on Monday. Aid workers bundled food parcels into trucks in Azaz on Monday. Government forces pelted Rastan with mortar rounds on Monday. IS militants marched captives through the streets of Raqqa on Monday.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json rv.txt
expect_eq "the review's cases" "$(jq -c '[.incidents[] | [.category, .place.name, .date_start]]' "$T/out")" \
    '[["remote_violence","Kafranbel","2016-02-15"],["remote_violence","Khan Sheikhoun","2016-02-15"],["remote_violence","Saraqib","2016-02-15"],["remote_violence","Atarib","2016-02-15"],["remote_violence","Halfaya","2016-02-15"],["remote_violence","Souran","2016-02-14"],["remote_violence","Inkhil","2016-02-16"],["battle","Taybat al-Imam","2016-02-15"],["remote_violence","Rastan","2016-02-15"]]'
# the rules of the second round (docs/extract.md): a day told after the
# act, the act of a relative clause, ground taken ("drove ... out of"),
# two arms, protesters turned violent, the end of talks (no statement)
cat > b.txt <<'TXT'
Government jets struck Maarat al-Numan on Tuesday and hit its main hospital, which had been damaged by shelling the previous day. Rebels drove government troops out of Kafr Nabl on Tuesday. Government forces pounded Saraqib with artillery and air strikes on Tuesday. In Atarib, protesters stormed a courthouse and set it on fire on Tuesday. Russia and Turkey ended two days of talks on the truce in Idlib on Tuesday.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json b.txt
expect_eq "the second round's incidents" "$(jq -c '[.incidents[] | [.category, .subcategory, .place.name, .date_start]]' "$T/out")" \
    '[["remote_violence","Air/drone strike","Maarat al-Numan","2016-02-16"],["remote_violence","Shelling/artillery/missile attack","Maarat al-Numan","2016-02-15"],["battle","Non-state actor overtakes territory","Kafranbel","2016-02-16"],["remote_violence","Shelling/artillery/missile attack","Saraqib","2016-02-16"],["remote_violence","Air/drone strike","Saraqib","2016-02-16"],["riot","Violent demonstration","Atarib","2016-02-16"]]'
expect_eq "talks ended: no statement" "$(jq -c '[.agreements[].action]' "$T/out")" '[]'
# ... and where they must not fire (a review's cases): the passive, no
# armed side between, a relative clause without a day of its own, words
# of violence that are not the protesters' own deed, fighters with tanks
cat > c.txt <<'TXT'
Government troops were driven out of Kafr Nabl by rebels on Tuesday. Rebels drove out of Atarib on Tuesday after a ceasefire deal. Families drove out of Saraqib on Tuesday to reach Idlib. Government forces pushed the aid convoy out of Saraqib on Tuesday. Residents drove their cars out of Kafranbel on Tuesday. Turkey expelled Syrian diplomats on Tuesday over the shelling of Kafranbel. Jets struck Saraqib on Tuesday, which had been shelled repeatedly since 2013. In Atarib, protesters demanded the release of detainees who had been burned in prison. In Saraqib, protesters said the army had looted their homes last year. Rebels attacked Atarib with tanks on Tuesday.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json c.txt
expect_eq "the second round's negatives" "$(jq -c '[.incidents[] | [.category, .subcategory, .place.name, .date_start]]' "$T/out")" \
    '[["remote_violence","Shelling/artillery/missile attack","Kafranbel","2016-02-16"],["remote_violence","Air/drone strike","Saraqib","2016-02-16"],["protest","Peaceful protest","Atarib","2016-02-16"],["protest","Peaceful protest","Saraqib","2016-02-16"],["battle","Armed clash","Atarib","2016-02-16"]]'
# the ninth round (docs/extract.md): bombs dropped on a town, a
# diplomat's protest, scuffles, a party's own account of its strikes, an
# old bombing told at a trial, protesters' deed a few words on, mines
# cleared, a trend, forces backed by jets
cat > r9a.txt <<'TXT'
Government helicopters dropped barrel bombs on Douma on Monday, killing four people. Turkey summoned Russia's ambassador on Monday to protest against its air campaign. Miners who had not been paid for months scuffled with police in Homs on Monday. Jets struck Saraqib on Monday, killing six people. Russia's defence ministry said its jets had struck only militant targets in Idlib province. A court in Hama sentenced two men on Tuesday for a car bombing that killed 12 people in the city last July. Protesters angry at power cuts burned tyres in Salamiyah on Monday. Deminers cleared anti-tank mines from farmland near Talbiseh on Monday. Monitors reported a steady rise in shelling around Aleppo since January. Government forces backed by Russian jets drove rebels out of Khan Tuman on Monday.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r9a.txt
expect_eq "the ninth round's incidents" "$(jq -c '[.incidents[] | [.category, .place.name, .date_start, .fatalities]]' "$T/out")" \
    '[["remote_violence","Douma","2016-02-15",4],["riot","Homs","2016-02-15",null],["remote_violence","Saraqib","2016-02-15",6],["riot","Salamiyah","2016-02-15",null],["battle","Khan Tuman","2016-02-15",null]]'
# "Hours later" after a day told by a sentence of no incident
cat > r9b.txt <<'TXT'
Rebels took over Inkhil on Monday without a fight after the army withdrew. Hours later, a drone strike hit a car near Anadan, killing two men.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r9b.txt
expect_eq "hours after the day told" "$(jq -c '[.incidents[] | [.place.name, .date_start, .evidence.date]]' "$T/out")" \
    '[["Anadan","2016-02-15","Hours later"]]'
# an evacuation deal is no truce, nor "the deal" after it; an apposition
# ("a town northwest of Damascus") and a destination ("leave for Idlib
# province") are no areas
cat > r9c.txt <<'TXT'
Buses carrying 300 rebel fighters left Madaya on Monday for Idlib under a deal agreed with the government. The deal returns the town to state control. A 48-hour truce in Zabadani, a town northwest of Damascus, took effect at noon on Monday. A local truce took effect in Foua at 6 a.m. on Tuesday under a deal that lets fighters leave for Idlib province.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r9c.txt
expect_eq "the ninth round's statements" "$(jq -c '[.agreements[] | [.action, .effective, .area.name]]' "$T/out")" \
    '[["in_effect","2016-02-15T12:00","Zabadani"],["in_effect","2016-02-16T06:00","Foua"]]'
# the tenth round: "Hours after" the latest day told, two bombs, accidents
# and anniversaries, the dead as "its driver", "him and his driver", a
# list of counts, "a commander known as X was killed"
cat > r10a.txt <<'TXT'
Government forces recaptured Khan Tuman on Monday. Rebels had seized Khan Tuman on Feb. 1 in a surprise assault. Hours after the town fell, rebel mortar bombs hit a church in Hama, wounding six people. A roadside bomb and then a suicide bomber struck a bus station in Homs on Monday, killing at least 14 people. A methane explosion tore through a gas plant near Palmyra on Monday. Officials ruled out shelling as a cause. Thousands of residents celebrated in Jableh on Monday the anniversary of the town's recapture. A rebel commander known by the nickname Abu Omar was killed when a rocket hit his office in Idlib on Monday. A landmine exploded under a tractor near Talbiseh on Monday, killing its driver. A bomb blew up a car near Salamiyah on Monday, killing him and his driver. Jets struck Saraqib on Monday, killing 12 civilians, 3 rebels and five children.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r10a.txt
expect_eq "the tenth round's incidents" "$(jq -c '[.incidents[] | [.category, .place.name, .date_start, .fatalities]]' "$T/out")" \
    '[["battle","Khan Tuman","2016-02-15",null],["battle","Khan Tuman","2016-02-01",null],["remote_violence","Hama","2016-02-15",null],["remote_violence","Homs","2016-02-15",14],["remote_violence","Homs","2016-02-15",14],["remote_violence","Idlib","2016-02-15",1],["remote_violence","Talbiseh","2016-02-15",1],["remote_violence","Salamiyah","2016-02-15",2],["remote_violence","Saraqib","2016-02-15",20]]'
# "Hours before it began" (the truce's start), "breaching it", an old zone
# made "in November", a country that is a party
cat > r10b.txt <<'TXT'
A ceasefire to let engineers repair a power line near Zabadani took effect at 10 a.m. on Tuesday. Hours before it began, a soldier was killed by sniper fire near Zabadani. Rebels accused government forces of breaching it on Tuesday evening. Madaya lies inside a de-escalation zone agreed by the United States, Russia and Jordan in November. Syria and the rebels have agreed to a local truce around Foua from 6 a.m. on Thursday.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r10b.txt
expect_eq "the tenth round's sniper" "$(jq -c '[.incidents[] | [.place.name, .date_start]]' "$T/out")" '[["Zabadani","2016-02-16"]]'
expect_eq "the tenth round's statements" "$(jq -c '[.agreements[] | [.action, .effective, .area.name]]' "$T/out")" \
    '[["in_effect","2016-02-16T10:00","Zabadani"],["violated",null,null],["announced","2016-02-18T06:00","Foua"]]'
# where people came from is no act's place when the clause names another
cat > r10c.txt <<'TXT'
A car bomb tore through buses carrying evacuees from the besieged towns of Foua and Kafraya in Anadan on Saturday, killing at least 40 people. Rebels abducted 20 people from the town of Salma in the Latakia countryside on Sunday.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r10c.txt
expect_eq "an origin is no place" "$(jq -c '[.incidents[] | [.place.name, .date_start]]' "$T/out")" \
    '[["Anadan","2016-02-13"],["Salma","2016-02-14"]]'
# the eleventh round: a person aged, an unnamed source, the fall of a town
# dating its taking, a clause after a relative one, "took the town of",
# "the following morning"
cat > r11a.txt <<'TXT'
Men in unmarked uniforms seized a 62-year-old pensioner at a checkpoint near Salma on Monday, a security source said. Government forces have driven rebels out of Khan Tuman, state media said on Tuesday. The town fell late on Monday, the agency said. In Jableh, which government forces retook in 2012, hundreds of people rallied on Monday. Rebels took the town of Kafr Zita on Monday. Jets struck Saraqib on Monday evening. The following morning, a roadside bomb hit a patrol near Atarib.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r11a.txt
expect_eq "the eleventh round's incidents" "$(jq -c '[.incidents[] | [.category, .place.name, .date_start, .hedged]]' "$T/out")" \
    '[["violence_against_civilians","Salma","2016-02-15",true],["battle","Khan Tuman","2016-02-15",false],["protest","Jableh","2016-02-15",false],["battle","Kafr Zita","2016-02-15",false],["remote_violence","Saraqib","2016-02-15",false],["remote_violence","Atarib","2016-02-16",false]]'
# a breach with the truce's start, what was said would take effect, the
# ends of a road
cat > r11b.txt <<'TXT'
A 48-hour truce took effect in Zabadani at 8 a.m. on Tuesday but was broken within hours, activists said. Russia's reconciliation centre said on Tuesday that a 72-hour regime of calm would take effect in Madaya from midnight on Thursday. A local ceasefire around Foua, on the road between Idlib and Aleppo, was extended on Tuesday for seven more days. Kiev denied firing on the town. Monitors said they had been denied access to Douma.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r11b.txt
expect_eq "the eleventh round's statements" "$(jq -c '[.agreements[] | [.action, .effective, .area.name]]' "$T/out")" \
    '[["in_effect","2016-02-16T08:00","Zabadani"],["violated","2016-02-16T08:00","Zabadani"],["announced","2016-02-18T00:00","Madaya"],["extended",null,"Foua"]]'
# a denial hedges only when it denies the act
cat > r11c.txt <<'TXT'
Jets struck Saraqib on Monday. The army denied carrying out the strike. Jets struck Douma on Monday. Monitors said they had been denied access to the town.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r11c.txt
expect_eq "denials" "$(jq -c '[.incidents[] | [.place.name, .hedged]]' "$T/out")" '[["Saraqib",true],["Douma",false]]'
# from heldout12's misses: "Backed by" a few words before the verb, a
# blogger taken, "the same day", a crowd, weapons pulled back, a killing
# dated by the sentence after it; a breach told before "taking effect"
cat > r12a.txt <<'TXT'
Backed by waves of Russian air strikes, government troops captured the village of Anadan on Monday. Men in camouflage seized a blogger at his flat in Salma on Monday. Jets struck Saraqib on Monday. Rebel mortar bombs hit Aleppo the same day, killing four people. Tens of thousands of protesters rallied in Idlib on Monday. Both sides pledged to pull remaining mortars back from Homs. Gunmen shot dead a writer outside his home in Hama. The writer was killed on Sunday afternoon.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r12a.txt
expect_eq "heldout12's lessons" "$(jq -c '[.incidents[] | [.category, .place.name, .date_start]]' "$T/out")" \
    '[["battle","Anadan","2016-02-15"],["violence_against_civilians","Salma","2016-02-15"],["remote_violence","Saraqib","2016-02-15"],["remote_violence","Aleppo","2016-02-15"],["protest","Idlib","2016-02-15"],["violence_against_civilians","Hama","2016-02-14"]]'
cat > r12b.txt <<'TXT'
A local ceasefire around Madaya was broken within hours of taking effect at 8 a.m. on Monday, monitors said.
TXT
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus --source t --format json r12b.txt
expect_eq "a breach before its start" "$(jq -c '[.agreements[] | [.action, .effective, .area.name]]' "$T/out")" \
    '[["violated","2016-02-15T08:00","Madaya"],["in_effect","2016-02-15T08:00","Madaya"]]'
expect_rc 0 truce extract --date 2016-02-17 --tz Asia/Damascus a.txt
expect_in "$T/out" "fatalities       12  <- \"killing at least 12 people\""
# a statement of our own: a draft agreement that loads, incidents stored
# as events of source news that are assessed under it
cat > b.txt <<'TXT'
A 48-hour truce brokered by Russia and Turkey took effect in Aleppo at midnight on Saturday.
Russia will ensure that the government abides by it, while Turkey presses the rebels.
Rebels shelled the government-held west of Aleppo on Saturday, killing three civilians.
TXT
truce actors load "$SRC/examples/actors.json" > /dev/null || fail "actors"
expect_rc 0 truce extract --date 2016-12-18 --tz Asia/Damascus --source t --ingest --agreements-out draft.json --format json b.txt
expect_eq "the statement" "$(jq -c '.agreements[0] | [.action, .brokers, .area.name, .effective, .duration_hours, .guarantors]' "$T/out")" '["in_effect",["russia","turkey"],"Aleppo","2016-12-17T00:00",48,[{"side":"government","guarantor":"russia"},{"side":"opposition","guarantor":"turkey"}]]'
expect_in "$T/err" "1 draft agreement(s) written to draft.json"
expect_in "$T/err" "1 incident(s) stored as events of source news"
expect_rc 0 truce agreements load draft.json
expect_in "$T/out" "news-aleppo-2016-12-17"
expect_rc 0 truce assess
ID=$(truce events --format jsonl | jq -r 'select(.source == "news") | .id' | head -1)
case $ID in news:t:*) ;; *) fail "no news event: '$ID'" ;; esac
expect_eq "assessed under the draft" "$(truce explain "$ID" --format json | jq -r '.assessments[] | select(.agreement == "news-aleppo-2016-12-17") | .agreement')" "news-aleppo-2016-12-17"
truce explain "$ID" --format json | jq -e '.notes | startswith("unverified, read from the news: ")' > /dev/null || fail "the sentence in notes"
# the report says it is the news's, unverified
expect_rc 0 truce report --agreement news-aleppo-2016-12-17 --date 2016-12-17 --format md
expect_in "$T/out" "$ID\` Aleppo (news, unverified)"
expect_rc 0 truce report --agreement news-aleppo-2016-12-17 --date 2016-12-17 --format json
expect_eq "unverified in JSON" "$(jq -r --arg id "$ID" '[.undetermined[], .notable[] | select(.id == $id) | [.source, .unverified]] | .[0] | join(" ")' "$T/out")" "news true"
# a draft's zone is the boundary's shape when its area is a boundaries
# feature in the store
truce boundaries load "$SRC/examples/zones/northern-latakia.geojson" --name latakia-north > /dev/null || fail "boundaries"
echo 'A truce took effect across Northern Latakia at midnight on Saturday.' > gov.txt
expect_rc 0 truce extract --date 2016-12-18 --tz Asia/Damascus --agreements-out gov.json --format json gov.txt
expect_eq "the area from the boundaries" "$(jq -r '.agreements[0].area | [.from, .id] | join(" ")' "$T/out")" "boundaries boundary:latakia-north:Northern Latakia"
expect_eq "the boundary's shape" "$(jq -c '.[0].zones[0].geometry' gov.json)" "$(jq -c '.features[0].geometry' "$SRC/examples/zones/northern-latakia.geojson")"
expect_rc 0 truce agreements load gov.json
# without --tz: the zone of the agreement whose zones hold the place (the
# draft's, Asia/Damascus, holds Aleppo), else UTC (Salamiyah is outside it)
expect_rc 0 truce extract --date 2016-12-18 --format json b.txt
expect_eq "the agreement's zone" "$(jq -r '[.timezone, .agreements[0].timezone] | join(" ")' "$T/out")" "Asia/Damascus Asia/Damascus"
echo 'Government forces shelled Salamiyah on Saturday.' > far.txt
expect_rc 0 truce extract --date 2016-12-18 --format json far.txt
expect_eq "no agreement holds it" "$(jq -r '[.timezone, .incidents[0].place.name] | join(" ")' "$T/out")" "UTC Salamiyah"
# errors
expect_rc 1 truce extract a.txt
expect_rc 1 truce extract --date 2016-02-17 --tz Mars/Olympus a.txt
printf 'bad \377 bytes\n' > bad.txt
expect_rc 2 truce extract --date 2016-02-17 bad.txt
expect_in "$T/err" "not UTF-8"
expect_rc 2 truce extract --date 2016-02-17 missing.txt
# the seed article
SEED=$SHARED/seeds/news-2016-05-04-aleppo-ceasefire.txt
[ -f "$SEED" ] || skip "$SEED is absent: the seed part skips"
expect_rc 0 truce extract --date 2016-05-04 --tz Asia/Damascus --source seed --format json "$SEED"
expect_eq "the seed's agreement" "$(jq -c '.agreements[0] | [.action, .brokers, .area.name, .effective, .timezone]' "$T/out")" '["in_effect",["united-states","russia"],"Aleppo","2016-05-04T00:01","Asia/Damascus"]'
expect_eq "its guarantors" "$(jq -c '.agreements[0].guarantors' "$T/out")" '[{"side":"government","guarantor":"russia"},{"side":"opposition","guarantor":"united-states"}]'
expect_eq "the shelled hospitals" "$(jq -c '[.incidents[] | select(.protected_site) | [.category, .place.name, .date_start, .date_end]]' "$T/out")" '[["remote_violence","Aleppo","2016-04-28","2016-05-04"]]'
# its draft loads, and its incident is an event under it
expect_rc 0 truce extract --date 2016-05-04 --tz Asia/Damascus --source seed --ingest --agreements-out seed-draft.json "$SEED"
expect_rc 0 truce agreements load seed-draft.json
expect_rc 0 truce assess
SID=$(truce events --format jsonl | jq -r 'select(.source == "news" and (.source_id | startswith("seed:")) and .category == "remote_violence") | .id' | head -1)
expect_eq "the seed's incident under its draft" "$(truce explain "$SID" --format json | jq -r '[.assessments[] | select(.agreement == "news-aleppo-2016-05-04")] | length')" 1
