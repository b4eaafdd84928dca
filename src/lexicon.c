/*
 * lexicon.c - the words news uses for acts of war and what surrounds
 * them (DESIGN section 9), as tables, and a matcher of phrases over
 * tokens.
 *
 * A phrase is a few words, each matched whole in any case, or as a stem
 * when it ends in '*' ("shell*" is shelled, shelling, shells). The longest
 * phrase at a token wins. Each table says what its phrases mean: an act's
 * category and sub-type (DESIGN section 3.3), a generic actor term's kind,
 * a protected site, a hedge, an attribution, a negation, or an agreement's
 * noun or verb of action.
 */
#include "truce_int.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define AIR "Air/drone strike"
#define SHELL "Shelling/artillery/missile attack"
#define IED "Remote explosive/landmine/IED"
#define SUICIDE "Suicide bomb"
#define CHEM "Chemical weapon"
#define CLASH "Armed clash"
#define ATTACK "Attack"
#define ABDUCT "Abduction/forced disappearance"
#define PEACEFUL "Peaceful protest"
#define RIOT "Violent demonstration"

/* Acts of violence, and of protest, by the words that report them. */
static const struct truce__lex acts[] = {
    {"air strike*", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"airstrike*", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"air raid*", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"aerial bombardment*", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"aerial attack*", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"jets bombed", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"barrel bomb*", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"drone strike*", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"drone attack*", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"bombed", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"strikes", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"struck", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"pounded", TRUCE_CAT_REMOTE_VIOLENCE, SHELL, TRUCE__LEX_BY_ARMS},
    {"bombarded", TRUCE_CAT_REMOTE_VIOLENCE, NULL, TRUCE__LEX_BY_ARMS},
    {"targeted", TRUCE_CAT_REMOTE_VIOLENCE, NULL,
     TRUCE__LEX_BY_ARMS | TRUCE__LEX_NEEDS_ARMS},
    {"raided", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_ARMS},
    /* "jets carried out 20 raids": the arms say which */
    {"raids", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_ARMS},
    {"attacked", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_ARMS},
    {"attacking", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_ARMS},
    {"hit", TRUCE_CAT_REMOTE_VIOLENCE, NULL,
     TRUCE__LEX_BY_ARMS | TRUCE__LEX_NEEDS_ARMS},
    /* "coalition jets destroyed a house" */
    {"destroyed", TRUCE_CAT_REMOTE_VIOLENCE, NULL,
     TRUCE__LEX_BY_ARMS | TRUCE__LEX_NEEDS_ARMS},
    /* "a strike hit an ambulance" (not "strike a deal") */
    {"a strike", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"opened fire", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_TARGET},
    {"opening fire", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_TARGET},
    /* "snipers fired on a family" */
    {"fired on", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_TARGET},
    {"traded gunfire", TRUCE_CAT_BATTLE, CLASH, 0},
    {"traded fire", TRUCE_CAT_BATTLE, CLASH, 0},
    {"exchanged gunfire", TRUCE_CAT_BATTLE, CLASH, 0},
    {"came under fire", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_TARGET},
    {"came under small-arms fire", TRUCE_CAT_BATTLE, CLASH,
     TRUCE__LEX_BY_TARGET},
    {"came under gunfire", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_TARGET},
    {"grenade*", TRUCE_CAT_REMOTE_VIOLENCE, "Grenade", 0},
    /* "a wave of bombings": the form is not said */
    {"bombings", TRUCE_CAT_REMOTE_VIOLENCE, NULL, 0},
    {"bombing*", TRUCE_CAT_REMOTE_VIOLENCE, AIR, 0},
    {"bombardment*", TRUCE_CAT_REMOTE_VIOLENCE, SHELL, 0},
    {"shell*", TRUCE_CAT_REMOTE_VIOLENCE, SHELL, 0},
    {"artillery", TRUCE_CAT_REMOTE_VIOLENCE, SHELL, 0},
    {"mortar*", TRUCE_CAT_REMOTE_VIOLENCE, SHELL, 0},
    {"rocket*", TRUCE_CAT_REMOTE_VIOLENCE, SHELL, 0},
    {"missile*", TRUCE_CAT_REMOTE_VIOLENCE, SHELL, 0},
    {"car bomb*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"truck bomb*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"roadside bomb*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"ied*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"explosive device*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"landmine*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"land mine*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"anti-tank mine*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"anti-personnel mine*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"mine blast*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"mine explosion*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"hit a mine", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"struck a mine", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"stepped on a mine", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"booby-trap*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"booby trap*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"bomb blast*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"explosion*", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"suicide bomb*", TRUCE_CAT_REMOTE_VIOLENCE, SUICIDE, 0},
    {"suicide attack*", TRUCE_CAT_REMOTE_VIOLENCE, SUICIDE, 0},
    {"suicide car bomb*", TRUCE_CAT_REMOTE_VIOLENCE, SUICIDE, 0},
    {"suicide vest*", TRUCE_CAT_REMOTE_VIOLENCE, SUICIDE, 0},
    {"explosives vest*", TRUCE_CAT_REMOTE_VIOLENCE, SUICIDE, 0},
    {"explosive vest*", TRUCE_CAT_REMOTE_VIOLENCE, SUICIDE, 0},
    /* "A bomb exploded among marchers", "set off a bomb" */
    {"bomb", TRUCE_CAT_REMOTE_VIOLENCE, IED, 0},
    {"blew himself up", TRUCE_CAT_REMOTE_VIOLENCE, SUICIDE, 0},
    {"blew themselves up", TRUCE_CAT_REMOTE_VIOLENCE, SUICIDE, 0},
    {"chemical attack*", TRUCE_CAT_REMOTE_VIOLENCE, CHEM, 0},
    {"chlorine", TRUCE_CAT_REMOTE_VIOLENCE, CHEM, 0},
    {"sarin", TRUCE_CAT_REMOTE_VIOLENCE, CHEM, 0},
    {"gas attack*", TRUCE_CAT_REMOTE_VIOLENCE, CHEM, 0},
    {"clash*", TRUCE_CAT_BATTLE, CLASH, 0},
    {"fighting", TRUCE_CAT_BATTLE, CLASH, 0},
    {"fought", TRUCE_CAT_BATTLE, CLASH, 0},
    {"battle*", TRUCE_CAT_BATTLE, CLASH, 0},
    {"battling", TRUCE_CAT_BATTLE, CLASH, 0},
    {"gun battle*", TRUCE_CAT_BATTLE, CLASH, 0},
    {"firefight*", TRUCE_CAT_BATTLE, CLASH, 0},
    {"exchange of fire", TRUCE_CAT_BATTLE, CLASH, 0},
    {"exchanged fire", TRUCE_CAT_BATTLE, CLASH, 0},
    {"offensive", TRUCE_CAT_BATTLE, CLASH, 0},
    {"assault*", TRUCE_CAT_BATTLE, CLASH, 0},
    {"ambush*", TRUCE_CAT_BATTLE, CLASH, 0},
    {"sniper fire", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_TARGET},
    /* "a rebel sniper had killed a soldier" */
    {"sniper", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_TARGET},
    {"snipers", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_BY_TARGET},
    {"stormed", TRUCE_CAT_BATTLE, CLASH, 0},
    /* "tried to storm Ukrainian positions" */
    {"to storm", TRUCE_CAT_BATTLE, CLASH, 0},
    {"captur*", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"recaptur*", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    /* "broke a two-year Islamic State siege of the air base" */
    {"broke ... siege", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"broke the siege", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"seized", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"seizing", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"overran", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"retook", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"retaken", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"took control", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"took full control", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    /* "took the town of Suluk from Islamic State" */
    {"took the town", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"took the village", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"took the city", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    {"regained control", TRUCE_CAT_BATTLE, CLASH, TRUCE__LEX_TERRITORY},
    /* with whom between (extract.c: an armed side, named or generic;
     * not in the passive) */
    {"drove ... out of", TRUCE_CAT_BATTLE, CLASH,
     TRUCE__LEX_TERRITORY | TRUCE__LEX_ARMED_GAP},
    {"driven ... out of", TRUCE_CAT_BATTLE, CLASH,
     TRUCE__LEX_TERRITORY | TRUCE__LEX_ARMED_GAP},
    {"pushed ... out of", TRUCE_CAT_BATTLE, CLASH,
     TRUCE__LEX_TERRITORY | TRUCE__LEX_ARMED_GAP},
    {"executed", TRUCE_CAT_VAC, ATTACK, 0},
    {"execution*", TRUCE_CAT_VAC, ATTACK, 0},
    {"massacre*", TRUCE_CAT_VAC, ATTACK, 0},
    {"beheaded", TRUCE_CAT_VAC, ATTACK, 0},
    {"shot dead", TRUCE_CAT_VAC, ATTACK, 0},
    {"shooting dead", TRUCE_CAT_VAC, ATTACK, 0},
    {"gunned down", TRUCE_CAT_VAC, ATTACK, 0},
    {"abduct*", TRUCE_CAT_VAC, ABDUCT, 0},
    {"kidnap*", TRUCE_CAT_VAC, ABDUCT, 0},
    /* "masked men bundled a lecturer into a car" */
    {"bundled ... into a car", TRUCE_CAT_VAC, ABDUCT, 0},
    {"bundled ... into a vehicle", TRUCE_CAT_VAC, ABDUCT, 0},
    {"bundled ... into a van", TRUCE_CAT_VAC, ABDUCT, 0},
    {"protest*", TRUCE_CAT_PROTEST, PEACEFUL, 0},
    {"demonstrat*", TRUCE_CAT_PROTEST, PEACEFUL, 0},
    {"rallied", TRUCE_CAT_PROTEST, PEACEFUL, 0},
    {"rallying", TRUCE_CAT_PROTEST, PEACEFUL, 0},
    {"rally", TRUCE_CAT_PROTEST, PEACEFUL, 0},
    {"rallies", TRUCE_CAT_PROTEST, PEACEFUL, 0},
    {"sit-in*", TRUCE_CAT_PROTEST, PEACEFUL, 0},
    {"marched", TRUCE_CAT_PROTEST, PEACEFUL, 0},
    {"riot*", TRUCE_CAT_RIOT, RIOT, 0},
    {"hurled stones", TRUCE_CAT_RIOT, RIOT, 0},
    {"threw stones", TRUCE_CAT_RIOT, RIOT, 0},
    {"hurled ... stones", TRUCE_CAT_RIOT, RIOT, 0},
    {"threw ... stones", TRUCE_CAT_RIOT, RIOT, 0},
    {"pelted ... with stones", TRUCE_CAT_RIOT, RIOT, 0},
    {"pelted ... with eggs", TRUCE_CAT_RIOT, RIOT, 0},
    /* "miners scuffled with police", "smashed the windows of the town
     * hall", "burned tyres" */
    {"scuffle*", TRUCE_CAT_RIOT, RIOT, 0},
    {"smashed ... windows", TRUCE_CAT_RIOT, RIOT, 0},
    {"burned tyres", TRUCE_CAT_RIOT, RIOT, 0},
    {"burned tires", TRUCE_CAT_RIOT, RIOT, 0},
};

/* Generic actor terms and the kind they imply (DESIGN section 9). */
static const struct truce__lex actors[] = {
    {"the regime", 0, "state", 0},
    {"regime forces", 0, "state", 0},
    {"regime", 0, "state", 0},
    {"government forces", 0, "state", 0},
    {"government troops", 0, "state", 0},
    {"pro-government forces", 0, "state", 0},
    {"syrian troops", 0, "state", 0},
    {"syrian forces", 0, "state", 0},
    {"the army", 0, "state", 0},
    {"army", 0, "state", 0},
    {"troops", 0, "state", 0},
    {"soldiers", 0, "state", 0},
    {"syrian warplanes", 0, "state", 0},
    {"government warplanes", 0, "state", 0},
    {"russian warplanes", 0, "external", 0},
    {"russian jets", 0, "external", 0},
    {"coalition warplanes", 0, "external", 0},
    {"saudi-led coalition", 0, "external", 0},
    {"coalition", 0, "external", 0},
    {"rebel*", 0, "rebel", 0},
    {"insurgent*", 0, "rebel", 0},
    {"opposition fighters", 0, "rebel", 0},
    {"opposition forces", 0, "rebel", 0},
    {"armed opposition", 0, "rebel", 0},
    {"opposition groups", 0, "rebel", 0},
    {"militants", 0, "rebel", 0},
    {"gunmen", 0, "unknown", 0},
    {"jihadist*", 0, "extremist", 0},
    {"islamic state", 0, "extremist", 0},
    {"islamic state group", 0, "extremist", 0},
    {"isis", 0, "extremist", 0},
    {"isil", 0, "extremist", 0},
    {"daesh", 0, "extremist", 0},
    {"nusra front", 0, "extremist", 0},
    {"al-nusra", 0, "extremist", 0},
    {"nusra", 0, "extremist", 0},
    {"jabhat fateh al-sham", 0, "extremist", 0},
    {"al-qaida", 0, "extremist", 0},
    {"al-qaeda", 0, "extremist", 0},
    {"houthi*", 0, "rebel", 0},
    {"separatists", 0, "rebel", 0},
    {"separatist forces", 0, "rebel", 0},
    {"separatist fighters", 0, "rebel", 0},
    {"separatist units", 0, "rebel", 0},
    {"ukrainian forces", 0, "state", 0},
    {"ukrainian troops", 0, "state", 0},
    {"ukrainian soldiers", 0, "state", 0},
    {"ukrainian army", 0, "state", 0},
    {"ukrainian military", 0, "state", 0},
    {"ukrainian sniper*", 0, "state", 0},
    {"ukrainian artillery", 0, "state", 0},
    {"ukrainian saboteurs", 0, "state", 0},
    {"kiev forces", 0, "state", 0},
    {"forces loyal to president", 0, "state", 0},
    {"pro-hadi forces", 0, "state", 0},
    {"asayish", 0, "rebel", 0},
    {"hezbollah", 0, "militia", 0},
    {"national defence forces", 0, "militia", 0},
    {"khalid ibn al-walid army", 0, "extremist", 0},
    {"pro-russian separatists", 0, "rebel", 0},
    {"syrian democratic forces", 0, "rebel", 0},
    {"sdf", 0, "rebel", 0},
    {"ypg", 0, "rebel", 0},
    {"free syrian army", 0, "rebel", 0},
    {"fsa", 0, "rebel", 0},
    {"ahrar al-sham", 0, "rebel", 0},
    {"jaish al-islam", 0, "rebel", 0},
    {"faylaq al-rahman", 0, "rebel", 0},
    {"jund al-aqsa", 0, "extremist", 0},
    {"hayat tahrir al-sham", 0, "extremist", 0},
    {"tahrir al-sham", 0, "extremist", 0},
    {"aqap", 0, "extremist", 0},
    {"al-qaeda in the arabian peninsula", 0, "extremist", 0},
    {"civilians", 0, "civilians", 0},
    {"residents", 0, "civilians", 0},
};

/* Sites the laws of war protect. */
static const struct truce__lex sites[] = {
    {"hospital*", 0, "hospital", 0},     {"clinic*", 0, "clinic", 0},
    {"medical cent*", 0, "medical centre", 0},
    {"health cent*", 0, "medical centre", 0},
    {"field hospital*", 0, "hospital", 0},
    {"maternity", 0, "hospital", 0},     {"ambulance*", 0, "ambulance", 0},
    {"school*", 0, "school", 0},         {"kindergarten*", 0, "school", 0},
    {"aid convoy*", 0, "aid convoy", 0},
    {"humanitarian convoy*", 0, "aid convoy", 0},
    {"relief convoy*", 0, "aid convoy", 0},
    {"aid truck*", 0, "aid convoy", 0},
    {"aid warehouse*", 0, "aid warehouse", 0},
    {"bakery", 0, "bakery", 0},          {"bakeries", 0, "bakery", 0},
    {"mosque*", 0, "place of worship", 0},
    {"church*", 0, "place of worship", 0},
    {"water station*", 0, "water station", 0},
    {"displaced camp*", 0, "camp", 0},   {"refugee camp*", 0, "camp", 0},
};

/* Words that leave an act unconfirmed. */
static const struct truce__lex hedges[] = {
    {"reportedly", 0, "reportedly", 0},  {"reports of", 0, "reports of", 0},
    {"allegedly", 0, "allegedly", 0},    {"alleged", 0, "alleged", 0},
    {"unconfirmed", 0, "unconfirmed", 0},
    {"could not be independently verified", 0, "not verified", 0},
    {"could not be verified", 0, "not verified", 0},
    {"said to have", 0, "said to have", 0},
    {"activists said", 0, "activists said", 0},
    {"activists reported", 0, "activists said", 0},
    {"according to activists", 0, "activists said", 0},
    {"suspected", 0, "suspected", 0},    {"blamed", 0, "blamed", 0},
    {"blames", 0, "blamed", 0},          {"were said to", 0, "said to", 0},
    {"was said to", 0, "said to", 0},
    /* sources not named */
    {"residents said", 0, "residents", 0},
    {"according to residents", 0, "residents", 0},
    {"witnesses said", 0, "witnesses", 0},
    {"according to witnesses", 0, "witnesses", 0},
    {"rescue workers said", 0, "rescue workers", 0},
    {"according to rescue workers", 0, "rescue workers", 0},
    {"medics said", 0, "medics", 0},     {"a local medic", 0, "medics", 0},
    {"a medic", 0, "medics", 0},     {"activist group", 0, "activists", 0},
    {"videos posted online", 0, "videos", 0},
    {"medical sources", 0, "medical sources", 0},
    {"military sources", 0, "military sources", 0},
    {"security sources", 0, "security sources", 0},
    {"local sources", 0, "local sources", 0},
    {"sources said", 0, "sources", 0},   {"rebels said", 0, "rebels said", 0},
    {"separatists said", 0, "rebels said", 0},
    {"a local doctor", 0, "a local doctor", 0},
    {"a doctor", 0, "a local doctor", 0},
    {"local medics", 0, "medics", 0},
    {"according to medics", 0, "medics", 0},
    {"according to local medics", 0, "medics", 0},
    {"a colleague", 0, "colleagues", 0},
    {"his family said", 0, "family", 0},
    {"her family said", 0, "family", 0},
    {"his wife said", 0, "family", 0},
    {"her husband said", 0, "family", 0},
    {"relatives said", 0, "family", 0},
    {"accused", 0, "blamed", 0},
    {"doctors said", 0, "doctors", 0},
    {"colleagues said", 0, "colleagues", 0},
    /* one source not named, and more of them */
    {"a security source", 0, "security sources", 0},
    {"a military source", 0, "military sources", 0},
    {"a medical source", 0, "medical sources", 0},
    {"a local source", 0, "local sources", 0},
    {"tribal sources", 0, "tribal sources", 0},
    {"a tribal source", 0, "tribal sources", 0},
    {"opposition activists", 0, "activists said", 0},
    {"residents and", 0, "residents", 0},
    {"according to rebels", 0, "rebels said", 0},
    {"his sister said", 0, "family", 0},
    {"her sister said", 0, "family", 0},
    {"his brother said", 0, "family", 0},
    {"his mother said", 0, "family", 0},
    {"her mother said", 0, "family", 0},
    {"his father said", 0, "family", 0},
};

/* Who says so. */
static const struct truce__lex attributions[] = {
    {"state media", 0, "state media", 0},
    {"state television", 0, "state media", 0},
    {"state tv", 0, "state media", 0},
    {"sana", 0, "state media", 0},
    {"syrian arab news agency", 0, "state media", 0},
    {"syrian observatory for human rights", 0, "SOHR", 0},
    {"syrian observatory", 0, "SOHR", 0},
    {"the observatory", 0, "SOHR", 0},
    {"sohr", 0, "SOHR", 0},
    {"activists", 0, "activists", 0},
    {"local coordination committees", 0, "activists", 0},
    {"white helmets", 0, "civil defence", 0},
    {"civil defence", 0, "civil defence", 0},
    {"civil defense", 0, "civil defence", 0},
    {"medecins sans frontieres", 0, "MSF", 0},
    {"doctors without borders", 0, "MSF", 0},
    {"msf", 0, "MSF", 0},
    {"the army said", 0, "the army", 0},
    {"the military said", 0, "the army", 0},
    {"the coalition said", 0, "the coalition", 0},
    {"rebels said", 0, "rebels", 0},
    {"residents said", 0, "residents", 0},
    {"witnesses said", 0, "witnesses", 0},
    {"monitoring group", 0, "a monitoring group", 0},
    {"russian defence ministry", 0, "Russian defence ministry", 0},
    {"russian defense ministry", 0, "Russian defence ministry", 0},
};

/* Words that say an act did not happen, or has not yet. */
static const struct truce__lex negations[] = {
    {"no reports of", 0, "no reports of", 0},
    {"no report of", 0, "no reports of", 0},
    {"there were no", 0, "there were no", 0},
    {"without incident", 0, "without incident", 0},
    {"largely held", 0, "held", 0},
    {"held", 0, "held", 0},
    {"denied", 0, "denied", 0},
    {"calm", 0, "calm", 0},
    {"quiet", 0, "quiet", 0},
    {"spared", 0, "spared", 0},
    {"halted", 0, "halted", 0},
    {"halt to", 0, "halted", 0},
    {"end to", 0, "halted", 0},
    {"stopped", 0, "stopped", 0},
    {"ceased", 0, "ceased", 0},
    {"threatened to", 0, "threat", 0},
    {"threatens to", 0, "threat", 0},
    {"warned", 0, "threat", 0},
    /* these govern only an act right after them (TRUCE__LEX_NEAR): not
     * "Amid fears of a wider war, jets bombed ..." */
    {"feared", 0, "threat", TRUCE__LEX_NEAR},
    {"fears", 0, "threat", TRUCE__LEX_NEAR},
    /* "recording far fewer explosions", "a sharp drop in shelling": a
     * trend */
    {"far fewer", 0, "trend", TRUCE__LEX_NEAR},
    {"much fewer", 0, "trend", TRUCE__LEX_NEAR},
    {"drop in", 0, "trend", TRUCE__LEX_NEAR},
    {"decrease in", 0, "trend", TRUCE__LEX_NEAR},
    {"decline in", 0, "trend", TRUCE__LEX_NEAR},
    {"reduction in", 0, "trend", TRUCE__LEX_NEAR},
    {"fall in", 0, "trend", TRUCE__LEX_NEAR},
    {"lull in", 0, "trend", TRUCE__LEX_NEAR},
    {"rise in", 0, "trend", TRUCE__LEX_NEAR},
    {"increase in", 0, "trend", TRUCE__LEX_NEAR},
    /* "A methane explosion tore through the mine", "ruled out shelling
     * as a cause": no act; "marked the anniversary of the town's
     * recapture": the past (any act after it in its clause, extract.c) */
    {"methane", 0, "accident", TRUCE__LEX_NEAR},
    {"gas leak", 0, "accident", TRUCE__LEX_NEAR},
    {"ruled out", 0, "not", TRUCE__LEX_NEAR},
    {"anniversary of", 0, "anniversary", 0},
    /* "pledged to pull remaining mortars back from the line": weapons
     * withdrawn, no fire */
    {"pull", 0, "withdrawn", TRUCE__LEX_NEAR},
    {"pulled", 0, "withdrawn", TRUCE__LEX_NEAR},
    {"pulling", 0, "withdrawn", TRUCE__LEX_NEAR},
    {"withdrawal of", 0, "withdrawn", TRUCE__LEX_NEAR},
    /* "deminers cleared anti-tank mines from farmland": mines taken
     * away, no blast */
    {"cleared", 0, "cleared", TRUCE__LEX_NEAR},
    {"defused", 0, "cleared", TRUCE__LEX_NEAR},
    {"removed", 0, "cleared", TRUCE__LEX_NEAR},
    /* "AQAP has long fought the Houthis": a habit, not an act */
    {"has long", 0, "habit", TRUCE__LEX_NEAR},
    {"have long", 0, "habit", TRUCE__LEX_NEAR},
    /* "announced an offensive to drive the militants out", "the start of
     * an offensive": a plan */
    {"announced an", 0, "intent", TRUCE__LEX_NEAR},
    {"announced a", 0, "intent", TRUCE__LEX_NEAR},
    {"the start of", 0, "intent", TRUCE__LEX_NEAR},
    /* "to head off an offensive": an intent */
    {"head off", 0, "intent", TRUCE__LEX_NEAR},
    {"avert", 0, "intent", TRUCE__LEX_NEAR},
    {"prevent", 0, "intent", TRUCE__LEX_NEAR},
    {"vowed to", 0, "threat", 0},
    {"would", 0, "conditional", 0},
    {"will", 0, "future", 0},
    {"plans to", 0, "future", 0},
    {"plan to", 0, "future", 0},
    {"planned to", 0, "future", 0},
    {"if", 0, "conditional", 0},
    {"unless", 0, "conditional", 0},
    {"prepar*", 0, "future", 0},
    {"defused", 0, "foiled", 0},
    {"foiled", 0, "foiled", 0},
    {"thwarted", 0, "foiled", 0},
    {"urged", 0, "intent", 0},
    /* "the militia must first withdraw" */
    {"must", 0, "intent", TRUCE__LEX_NEAR},
    {"called on", 0, "intent", 0},
    {"called for", 0, "intent", 0},
    {"avoid", 0, "intent", TRUCE__LEX_NEAR},
    {"to stop", 0, "intent", TRUCE__LEX_NEAR},
    {"to halt", 0, "intent", TRUCE__LEX_NEAR},
};

/* Nouns of agreements and the verbs of what happens to them. */
static const struct truce__lex agreements[] = {
    {"ceasefire*", 0, "ceasefire", 0},    {"cease-fire*", 0, "ceasefire", 0},
    {"truce*", 0, "truce", 0},
    {"cessation of hostilities", 0, "cessation of hostilities", 0},
    {"regime of calm", 0, "regime of calm", 0},
    {"period of calm", 0, "regime of calm", 0},
    {"de-escalation zone*", 0, "de-escalation zone", 0},
    {"de-escalation area*", 0, "de-escalation zone", 0},
    {"zones", 0, "de-escalation zone", 0},
    {"humanitarian pause*", 0, "humanitarian pause", 0},
    /* "The pause, declared by Moscow, began at 8 a.m." */
    {"pause", 0, "humanitarian pause", 0},
    {"window of silence", 0, "humanitarian pause", 0},
    {"halt to fighting", 0, "humanitarian pause", 0},
    {"pause in fighting", 0, "humanitarian pause", 0},
    {"pause in the fighting", 0, "humanitarian pause", 0},
    {"halt to combat operations", 0, "humanitarian pause", 0},
    {"halted combat operations", 0, "humanitarian pause", 0},
    {"halted military operations", 0, "humanitarian pause", 0},
    {"halt", 0, "humanitarian pause", 0},
    /* "have agreed to stop shooting from Sept. 1" */
    {"stop shooting", 0, "ceasefire", 0},
    {"stop firing", 0, "ceasefire", 0},
    /* a unilateral pause: "Russia will halt military action in and around
     * Aleppo for three hours each day" */
    {"halt military action*", 0, "humanitarian pause", 0},
    {"halt military operations", 0, "humanitarian pause", 0},
    {"halt combat operations", 0, "humanitarian pause", 0},
    {"halt fighting", 0, "humanitarian pause", 0},
    {"halt its military operations", 0, "humanitarian pause", 0},
    {"stop military operations", 0, "humanitarian pause", 0},
    {"peace deal", 0, "peace deal", 0},
    {"agreement", 0, "agreement", 0},
    {"memorandum", 0, "agreement", 0},
    {"deal", 0, "agreement", 0},
};

static const struct truce__lex actions[] = {
    {"went into effect", 0, "in_effect", 0},
    {"went into force", 0, "in_effect", 0},
    {"took effect", 0, "in_effect", 0},
    /* "was broken within hours of taking effect at 8 a.m." */
    {"taking effect", 0, "in_effect", 0},
    {"came into force", 0, "in_effect", 0},
    {"came into effect", 0, "in_effect", 0},
    {"began", 0, "in_effect", 0},
    {"begun", 0, "in_effect", 0},
    {"started", 0, "in_effect", 0},
    {"in effect", 0, "in_effect", 0},
    {"in force", 0, "in_effect", 0},
    {"largely held", 0, "in_effect", 0},
    {"took hold", 0, "in_effect", 0},
    {"taken hold", 0, "in_effect", 0},
    {"halted combat operations", 0, "in_effect", 0},
    {"halted military operations", 0, "in_effect", 0},
    {"held", 0, "in_effect", 0},
    {"holding", 0, "in_effect", 0},
    /* "have been observing a loose truce since late on Monday" (a party;
     * not "monitors observing the ceasefire") */
    {"been observing", 0, "in_effect", 0},
    {"are observing", 0, "in_effect", 0},
    {"were observing", 0, "in_effect", 0},
    {"holds", 0, "in_effect", 0},
    {"party to", 0, "in_effect", 0},
    {"will take effect", 0, "announced", TRUCE__LEX_FUTURE},
    {"take effect", 0, "announced", TRUCE__LEX_FUTURE},
    {"will go into effect", 0, "announced", TRUCE__LEX_FUTURE},
    {"will come into force", 0, "announced", TRUCE__LEX_FUTURE},
    {"is to take effect", 0, "announced", TRUCE__LEX_FUTURE},
    {"due to take effect", 0, "announced", TRUCE__LEX_FUTURE},
    {"to take effect", 0, "announced", TRUCE__LEX_FUTURE},
    {"will begin", 0, "announced", TRUCE__LEX_FUTURE},
    {"to begin", 0, "announced", TRUCE__LEX_FUTURE},
    {"due to begin", 0, "announced", TRUCE__LEX_FUTURE},
    {"will start", 0, "announced", TRUCE__LEX_FUTURE},
    {"to start", 0, "announced", TRUCE__LEX_FUTURE},
    {"starting at", 0, "announced", TRUCE__LEX_FUTURE},
    {"starting from", 0, "announced", TRUCE__LEX_FUTURE},
    {"starting on", 0, "announced", TRUCE__LEX_FUTURE},
    {"would observe", 0, "announced", TRUCE__LEX_FUTURE},
    {"will observe", 0, "announced", TRUCE__LEX_FUTURE},
    {"will halt", 0, "announced", TRUCE__LEX_FUTURE},
    {"would halt", 0, "announced", TRUCE__LEX_FUTURE},
    {"will run", 0, "announced", TRUCE__LEX_FUTURE},
    {"agreed", 0, "announced", 0},
    {"signed", 0, "announced", 0},
    {"reached", 0, "announced", 0},
    {"announced", 0, "announced", 0},
    {"reached a deal", 0, "announced", 0},
    {"brokered", 0, "announced", 0},
    {"extend*", 0, "extended", 0},
    {"lengthen*", 0, "extended", 0},
    {"prolong*", 0, "extended", 0},
    {"renewed", 0, "extended", 0},
    {"violat*", 0, "violated", 0},
    {"breach*", 0, "violated", 0},
    {"broken", 0, "violated", 0},
    {"breaking", 0, "violated", 0},
    {"was over", 0, "collapsed", 0},
    {"is over", 0, "collapsed", 0},
    {"collapsed", 0, "collapsed", 0},
    {"broke down", 0, "collapsed", 0},
    {"fell apart", 0, "collapsed", 0},
    {"ended", 0, "collapsed", 0},
    {"expired", 0, "collapsed", 0},
};

/* States and bodies that broker or guarantee agreements, by id. */
static const struct truce__lex brokers[] = {
    {"united states", 0, "united-states", 0}, {"u.s", 0, "united-states", 0},
    {"washington", 0, "united-states", 0},
    {"american", 0, "united-states", 0}, {"russia", 0, "russia", 0},
    {"moscow", 0, "russia", 0},        {"russian", 0, "russia", 0},
    {"turkey", 0, "turkey", 0},        {"ankara", 0, "turkey", 0},
    {"turkish", 0, "turkey", 0},       {"iran", 0, "iran", 0},
    {"tehran", 0, "iran", 0},          {"iranian", 0, "iran", 0},
    {"united nations", 0, "united-nations", 0},
    {"u.n", 0, "united-nations", 0},   {"un", 0, "united-nations", 0},
    {"saudi arabia", 0, "saudi-arabia", 0},
    {"riyadh", 0, "saudi-arabia", 0},  {"kuwait", 0, "kuwait", 0},
    {"jordan", 0, "jordan", 0},        {"qatar", 0, "qatar", 0},
    {"egypt", 0, "egypt", 0},          {"france", 0, "france", 0},
    {"germany", 0, "germany", 0},      {"berlin", 0, "germany", 0},
    {"osce", 0, "osce", 0},
    {"organization for security and co-operation in europe", 0, "osce", 0},
    {"organisation for security and co-operation in europe", 0, "osce", 0},
    {"britain", 0, "united-kingdom", 0},
};

/* The tables by kind, each once. */
static const struct {
    const struct truce__lex *v;
    size_t n;
} tables[] = {
#define T(x) {x, sizeof(x) / sizeof(x[0])}
    [TRUCE_LEX_ACT] = T(acts),
    [TRUCE_LEX_ACTOR] = T(actors),
    [TRUCE_LEX_SITE] = T(sites),
    [TRUCE_LEX_HEDGE] = T(hedges),
    [TRUCE_LEX_ATTRIBUTION] = T(attributions),
    [TRUCE_LEX_NEGATION] = T(negations),
    [TRUCE_LEX_AGREEMENT] = T(agreements),
    [TRUCE_LEX_ACTION] = T(actions),
    [TRUCE_LEX_BROKER] = T(brokers),
#undef T
};

/* Does one word of a phrase (w, k bytes; a '*' at its end for a stem)
 * match token t? */
static bool
word_matches(const char *s, const struct truce__token *t, const char *w,
             size_t k)
{
    size_t n = t->end - t->start;
    const char *e = s + t->end;
    /* a possessive is its word: "regime's", "rebels’" */
    if (n > 2 && (e[-2] == '\'') && (e[-1] == 's' || e[-1] == 'S'))
        n -= 2;
    else if (n > 4 && !memcmp(e - 4, "\xe2\x80\x99", 3) &&
             (e[-1] == 's' || e[-1] == 'S'))
        n -= 4;
    /* a stem does not reach over a hyphen: "rebel*" is not "rebel-held" */
    if (k && w[k - 1] == '*')
        return n >= k - 1 && strncasecmp(s + t->start, w, k - 1) == 0 &&
               !memchr(s + t->start + k - 1, '-', n - (k - 1));
    return n == k && strncasecmp(s + t->start, w, k) == 0;
}

/* How many tokens from i the phrase takes, 0 when it does not match. A
 * hyphen inside a phrase word ("de-escalation") matches the hyphenated
 * token; words are otherwise separated by spaces; "..." stands for one to
 * four words (no punctuation) between the words around it. */
static size_t
phrase_at(const char *s, const struct truce__token *t, size_t n, size_t i,
          const char *phrase)
{
    size_t k = i;
    const char *p = phrase;
    while (*p) {
        size_t len = strcspn(p, " ");
        if (len == 3 && !strncmp(p, "...", 3)) {
            /* a gap of one to four words ("drove Islamic State out") */
            const char *rest = p + 3;
            while (*rest == ' ')
                rest++;
            for (size_t skip = 1; skip <= 4 && k + skip < n; skip++) {
                size_t m;
                if (t[k + skip - 1].kind == TRUCE_TOK_MARK)
                    break;
                if ((m = phrase_at(s, t, n, k + skip, rest)))
                    return k + skip + m - i;
            }
            return 0;
        }
        if (memchr(p, '.', len)) {
            /* "u.s": the tokens U . S and a last '.' when there */
            size_t a = 0;
            while (a < len) {
                size_t b = a;
                while (b < len && p[b] != '.')
                    b++;
                if (k >= n || t[k].kind == TRUCE_TOK_MARK ||
                    !word_matches(s, &t[k], p + a, b - a))
                    return 0;
                k++;
                if (b < len) {
                    if (k >= n || s[t[k].start] != '.' ||
                        t[k].end != t[k].start + 1)
                        return 0;
                    k++;
                }
                a = b + 1;
            }
            if (k < n && s[t[k].start] == '.' && t[k].end == t[k].start + 1)
                k++;
        } else if (k >= n || t[k].kind == TRUCE_TOK_MARK ||
                   !word_matches(s, &t[k], p, len)) {
            return 0;
        } else {
            k++;
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    return k - i;
}

/* The phrases of each table by their first byte (folded), built once: a
 * lookup tries only those that can match. Read-only once built; built
 * under pthread_once, so threads may look up at once. */
#define N_KINDS (sizeof(tables) / sizeof(tables[0]))
#define MAX_PHRASES 512

#define FITS(x) _Static_assert(sizeof(x) / sizeof(x[0]) < MAX_PHRASES, \
                               #x " has too many phrases for by_first")
FITS(acts);
FITS(actors);
FITS(sites);
FITS(hedges);
FITS(attributions);
FITS(negations);
FITS(agreements);
FITS(actions);
FITS(brokers);
#undef FITS

static struct {
    uint16_t start[N_KINDS][257]; /* phrases of byte b: [start[b], start[b+1]) */
    uint16_t order[N_KINDS][MAX_PHRASES];
    /* each phrase's first word's length, 0 when the word cannot be tried
     * alone (a dotted "u.s"): phrase_at decides */
    uint8_t first_len[N_KINDS][MAX_PHRASES];
} by_first;
static pthread_once_t by_first_once = PTHREAD_ONCE_INIT;

static unsigned char
folded(const char *p)
{
    return (unsigned char)tolower((unsigned char)p[0]);
}

static void
build_by_first(void)
{
    for (size_t kind = 0; kind < N_KINDS; kind++) {
        size_t n = tables[kind].n < MAX_PHRASES ? tables[kind].n : MAX_PHRASES,
               count[256] = {0}, at = 0;
        for (size_t k = 0; k < n; k++)
            count[folded(tables[kind].v[k].phrase)]++;
        for (size_t b = 0; b < 256; b++) {
            by_first.start[kind][b] = (uint16_t)at;
            at += count[b];
        }
        by_first.start[kind][256] = (uint16_t)at;
        memset(count, 0, sizeof(count));
        /* stable: a byte's phrases in their table's order, so that the
         * first of two as long wins as before */
        for (size_t k = 0; k < n; k++) {
            const char *ph = tables[kind].v[k].phrase;
            unsigned char b = folded(ph);
            size_t len = strcspn(ph, " ");
            by_first.order[kind][by_first.start[kind][b] + count[b]++] =
                (uint16_t)k;
            by_first.first_len[kind][k] =
                memchr(ph, '.', len) || len > UINT8_MAX ? 0 : (uint8_t)len;
        }
    }
}

const struct truce__lex *
truce__lex_at(enum truce__lex_kind kind, const char *s,
              const struct truce__token *t, size_t n, size_t i, size_t *used)
{
    const struct truce__lex *best = NULL;
    size_t best_n = 0;
    unsigned char first;
    *used = 0;
    if ((unsigned)kind >= N_KINDS || i >= n)
        return NULL;
    pthread_once(&by_first_once, build_by_first);
    first = folded(s + t[i].start);
    /* a phrase's first byte is the token's, in any case */
    for (size_t j = by_first.start[kind][first];
         j < by_first.start[kind][first + 1]; j++) {
        size_t k = by_first.order[kind][j], m,
               w = by_first.first_len[kind][k];
        const struct truce__lex *e = &tables[kind].v[k];
        /* the first word first: most phrases of a byte end there */
        if (w && (t[i].kind == TRUCE_TOK_MARK || !word_matches(s, &t[i], e->phrase, w)))
            continue;
        m = phrase_at(s, t, n, i, e->phrase);
        if (m > best_n) {
            best_n = m;
            best = e;
        }
    }
    *used = best_n;
    return best;
}
