/*
 * test_actors.c - name normalisation (DESIGN section 4: NFKC, case-folded,
 * parenthesised text removed, runs of non-alphanumerics one space,
 * trimmed), the actor dictionary and the resolution of actor fields
 * (whole name, alias, CAMEO code, civilians, coalitions, ACLED's joined
 * assoc actors, empty fields) and dictionary errors.
 *
 * Expected normal forms are written from the rules and the Unicode data:
 * U+FF29 FULLWIDTH LATIN CAPITAL LETTER I has the compatibility mapping
 * <wide> 0049; U+0101 LATIN SMALL LETTER A WITH MACRON is the canonical
 * composition of 0061 0304 and the case folding of U+0100; U+00DF folds to
 * "ss" (CaseFolding.txt status F); U+FEFB ARABIC LIGATURE LAM WITH ALEF
 * ISOLATED FORM has <isolated> 0644 0627.
 */
#define _GNU_SOURCE 1
#include "test.h"

#include "truce_int.h"

/* ------------------------------------------------------------ normalise */

static void
check_norm(const char *in, const char *want)
{
    struct truce_buf b;
    truce_status st;
    truce_buf_init(&b, 0);
    st = truce_normalise(in, strlen(in), &b);
    if (st != TRUCE_OK)
        FAIL_AT("truce_normalise(\"%s\") returned %s", in,
                truce_strerror(st));
    if (strcmp(b.buf, want) != 0)
        FAIL_AT("truce_normalise(\"%s\") is \"%s\", expected \"%s\"", in,
                b.buf, want);
    ASSERT_EQ_INT(b.len, strlen(want));
    truce_buf_release(&b);
}

TEST(actors_normalise_ascii)
{
    check_norm("Military Forces of Syria (2000-)", "military forces of syria");
    check_norm("  Jabhat  al-Nusra!! ", "jabhat al nusra");
    check_norm("Jabhat al Nusra", "jabhat al nusra");
    check_norm("23rd Division", "23rd division");
    check_norm("al_nusra", "al nusra");
    check_norm("SYRMIL", "syrmil");
    check_norm("", "");
    check_norm(" -- ", "");
    check_norm("(2000-)", "");
}

TEST(actors_normalise_parentheses)
{
    /* Nested: everything inside the outer pair goes. */
    check_norm("Group (A (B) C) Name", "group name");
    check_norm("Militia (Syria (2011-2016)) of Aleppo", "militia of aleppo");
    check_norm("Forces(Syria)x", "forces x");
    /* A closing parenthesis with nothing open is a separator. */
    check_norm("a ) b", "a b");
    /* An unclosed one drops the rest. */
    check_norm("Group (rest of it", "group");
}

TEST(actors_normalise_unicode)
{
    /* Full-width letters, NFKC then case-folded. */
    check_norm("\xEF\xBC\xA9\xEF\xBC\xB3\xEF\xBC\xA9\xEF\xBC\xB3", "isis");
    /* Ahrar al-Shām: NFKC keeps the macron; case folding maps the capital
     * to the small letter; the precomposed and decomposed forms agree. */
    check_norm("Ahrar al-Sh\xC4\x81m", "ahrar al sh\xC4\x81m");
    check_norm("Ahrar al-Sha\xCC\x84m", "ahrar al sh\xC4\x81m");
    check_norm("AHRAR AL-SH\xC4\x80M", "ahrar al sh\xC4\x81m");
    /* Full case folding: sharp s becomes "ss". */
    check_norm("Stra\xC3\x9F" "e", "strasse");
    /* Arabic letters are alphanumeric and kept; a presentation-form
     * ligature decomposes. */
    check_norm("\xD8\xAC\xD8\xA8\xD9\x87\xD8\xA9 - \xD8\xA7\xD9\x84\xD9\x86"
               "\xD8\xB5\xD8\xB1\xD8\xA9",
               "\xD8\xAC\xD8\xA8\xD9\x87\xD8\xA9 \xD8\xA7\xD9\x84\xD9\x86"
               "\xD8\xB5\xD8\xB1\xD8\xA9");
    check_norm("\xEF\xBB\xBB", "\xD9\x84\xD8\xA7");
    /* Non-ASCII punctuation (en dash, no-break space) separates. */
    check_norm("Free\xE2\x80\x93Syrian\xC2\xA0" "Army", "free syrian army");
}

/* Long ASCII names go another way through the code: same result. */
TEST(actors_normalise_long_ascii)
{
    char in[700], want[700];
    size_t k = 0, w = 0;
    for (int i = 0; i < 100; i++) {
        k += (size_t)snprintf(in + k, sizeof(in) - k, "Ab%d-- ", i);
        w += (size_t)snprintf(want + w, sizeof(want) - w, "%sab%d",
                              i ? " " : "", i);
    }
    ASSERT(k > 300);
    check_norm(in, want);
}

TEST(actors_normalise_appends)
{
    struct truce_buf b;
    truce_buf_init(&b, 0);
    ASSERT_OK(truce_buf_adds(&b, "X|"));
    ASSERT_OK(truce_normalise("  Syrian Arab Army ", 19, &b));
    ASSERT_EQ_STR(b.buf, "X|syrian arab army");
    /* Appending to text that ends in a letter adds no leading space. */
    ASSERT_OK(truce_normalise("-Sh\xC4\x81m", 6, &b));
    ASSERT_EQ_STR(b.buf, "X|syrian arab armysh\xC4\x81m");
    truce_buf_release(&b);
}

TEST(actors_normalise_invalid_utf8)
{
    static const char *const bad[] = {"Ahrar \xC3\x28", "\xFF", "ab\xC0\xAF",
                                      "x\xE2\x82", "\xED\xA0\x80"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct truce_buf b;
        truce_status st;
        truce_buf_init(&b, 0);
        st = truce_normalise(bad[i], strlen(bad[i]), &b);
        if (st != TRUCE_EPARSE)
            FAIL_AT("bad[%zu]: truce_normalise returned %s, expected %s", i,
                    truce_strerror(st), truce_strerror(TRUCE_EPARSE));
        truce_buf_release(&b);
    }
}

/* ------------------------------------------------------------ dictionary */

static const char dict_json[] =
    "{\"actors\": ["
    " {\"id\": \"syrian-government\", \"name\": \"Government of Syria\","
    "  \"kind\": \"state\", \"aliases\": [\"Military Forces of Syria\","
    "  \"Syrian Arab Army\", \"SAA\", \"SYRMIL\"]},"
    " {\"id\": \"ahrar-al-sham\", \"name\": \"Ahrar al-Sham\","
    "  \"kind\": \"rebel\"},"
    " {\"id\": \"23rd-division\", \"name\": \"23rd Division\","
    "  \"kind\": \"rebel\"},"
    " {\"id\": \"islamic-state\", \"name\": \"Islamic State\","
    "  \"kind\": \"extremist\", \"aliases\": [\"IS\", \"ISIS\", \"Daesh\"]},"
    " {\"id\": \"al-nusra\", \"name\": \"Jabhat al-Nusra\","
    "  \"kind\": \"extremist\", \"aliases\": [\"Nusra Front\"]},"
    " {\"id\": \"gov-coalition\", \"name\": \"Syria, Government and allies\","
    "  \"kind\": \"state\"},"
    " {\"id\": \"local-civilians\", \"name\": \"Local residents\","
    "  \"kind\": \"civilians\"}"
    "]}";

static struct truce_actors *
load_dict(struct truce_ctx *ctx)
{
    struct truce_actors *a = NULL;
    if (truce_actors_parse(ctx, dict_json, sizeof(dict_json) - 1,
                           "dict.json", &a) != TRUCE_OK)
        FAIL_AT("%s", truce_ctx_errmsg(ctx));
    return a;
}

static long
id_of(const struct truce_actors *a, const char *id)
{
    long i = truce_actors_find_id(a, id);
    if (i < 0)
        FAIL_AT("no actor '%s'", id);
    return i;
}

/* Resolves field and checks it to be exactly one member, actor `want`. */
static void
check_one(const struct truce_actors *a, const char *field, long want)
{
    struct truce_actor_ref r[8];
    size_t n = truce__actors_resolve(a, field, r, 8);
    if (n != 1)
        FAIL_AT("\"%s\" resolves to %zu members, expected 1", field, n);
    if (r[0].actor != want)
        FAIL_AT("\"%s\" resolves to %ld (%s), expected %ld (%s)", field,
                r[0].actor, truce_actors_id(a, r[0].actor), want,
                truce_actors_id(a, want));
}

static void
check_ref(const struct truce_actor_ref *r, long actor, const char *text)
{
    if (r->actor != actor || r->len != strlen(text) ||
        memcmp(r->text, text, r->len) != 0)
        FAIL_AT("member is %ld \"%.*s\", expected %ld \"%s\"", r->actor,
                (int)r->len, r->text, actor, text);
}

TEST(actors_dictionary_basics)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    ASSERT_OK(truce_ctx_new(&ctx));
    a = load_dict(ctx);
    ASSERT_EQ_INT(truce_actors_count(a), 7);
    ASSERT_EQ_INT(truce_actors_find_id(a, "syrian-government"), 0);
    ASSERT_EQ_INT(truce_actors_find_id(a, "al-nusra"), 4);
    ASSERT_EQ_INT(truce_actors_find_id(a, "nobody"), -1);
    ASSERT_EQ_STR(truce_actors_id(a, 1), "ahrar-al-sham");
    ASSERT_EQ_STR(truce_actors_name(a, 1), "Ahrar al-Sham");
    ASSERT_EQ_STR(truce_actors_id(a, TRUCE_ACTOR_UNKNOWN_IDX), "unknown");
    ASSERT_EQ_STR(truce_actors_id(a, TRUCE_ACTOR_CIVILIANS_IDX), "civilians");
    ASSERT_EQ_INT(truce__actors_kind(a, 0), TRUCE_ACTOR_STATE);
    ASSERT_EQ_INT(truce__actors_kind(a, 3), TRUCE_ACTOR_EXTREMIST);
    ASSERT_EQ_INT(truce__actors_kind(a, TRUCE_ACTOR_CIVILIANS_IDX),
                  TRUCE_ACTOR_CIVILIANS);
    ASSERT_EQ_INT(truce__actors_kind(a, TRUCE_ACTOR_UNKNOWN_IDX),
                  TRUCE_ACTOR_UNKNOWN);
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

TEST(actors_resolve_names_aliases_codes)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    long gov, ahrar, is;
    ASSERT_OK(truce_ctx_new(&ctx));
    a = load_dict(ctx);
    gov = id_of(a, "syrian-government");
    ahrar = id_of(a, "ahrar-al-sham");
    is = id_of(a, "islamic-state");
    /* The whole name, the id, an alias with ACLED's date suffix, other
     * spellings, a CAMEO code. */
    check_one(a, "Government of Syria", gov);
    check_one(a, "syrian-government", gov);
    check_one(a, "Military Forces of Syria (2000-)", gov);
    check_one(a, "  SYRIAN arab-army ", gov);
    check_one(a, "SYRMIL", gov);
    check_one(a, "Ahrar al Sham", ahrar);
    check_one(a, "Islamic State (Syria)", is);
    check_one(a, "\xEF\xBC\xA9\xEF\xBC\xB3\xEF\xBC\xA9\xEF\xBC\xB3", is);
    /* A name the dictionary lacks, without separators: unknown. */
    check_one(a, "Unidentified Armed Group (Syria)", TRUCE_ACTOR_UNKNOWN_IDX);
    check_one(a, "SYRREB", TRUCE_ACTOR_UNKNOWN_IDX);
    /* Civilians are built in; a dictionary actor of kind civilians stays
     * itself. */
    check_one(a, "Civilians (Syria)", TRUCE_ACTOR_CIVILIANS_IDX);
    check_one(a, "Civilians", TRUCE_ACTOR_CIVILIANS_IDX);
    check_one(a, "Local residents", id_of(a, "local-civilians"));
    ASSERT_EQ_INT(truce__actors_kind(a, id_of(a, "local-civilians")),
                  TRUCE_ACTOR_CIVILIANS);
    /* A whole field that matches is not split at its comma. */
    check_one(a, "Syria, Government and allies", id_of(a, "gov-coalition"));
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

TEST(actors_resolve_unknown_keeps_text)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    struct truce_actor_ref r[4];
    ASSERT_OK(truce_ctx_new(&ctx));
    a = load_dict(ctx);
    ASSERT_EQ_INT(truce__actors_resolve(a, " Unidentified Armed Group "
                                           "(Syria) ", r, 4), 1);
    check_ref(&r[0], TRUCE_ACTOR_UNKNOWN_IDX,
              "Unidentified Armed Group (Syria)");
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

TEST(actors_resolve_ucdp_coalition)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    struct truce_actor_ref r[8];
    const char *field = "23rd Division, Ahrar al-Sham, Sham Legion";
    ASSERT_OK(truce_ctx_new(&ctx));
    a = load_dict(ctx);
    ASSERT_EQ_INT(truce__actors_resolve(a, field, r, 8), 3);
    check_ref(&r[0], id_of(a, "23rd-division"), "23rd Division");
    check_ref(&r[1], id_of(a, "ahrar-al-sham"), "Ahrar al-Sham");
    check_ref(&r[2], TRUCE_ACTOR_UNKNOWN_IDX, "Sham Legion");
    /* The refs point into the field itself. */
    ASSERT(r[0].text == field);
    /* A smaller array: the first members only. */
    ASSERT_EQ_INT(truce__actors_resolve(a, field, r, 2), 2);
    check_ref(&r[1], id_of(a, "ahrar-al-sham"), "Ahrar al-Sham");
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

TEST(actors_resolve_acled_joined)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    struct truce_actor_ref r[8];
    ASSERT_OK(truce_ctx_new(&ctx));
    a = load_dict(ctx);
    ASSERT_EQ_INT(truce__actors_resolve(a, "Ahrar al-Sham; Jabhat al Nusra",
                                        r, 8), 2);
    check_ref(&r[0], id_of(a, "ahrar-al-sham"), "Ahrar al-Sham");
    check_ref(&r[1], id_of(a, "al-nusra"), "Jabhat al Nusra");
    /* actor1 plus two assoc actors, one unknown. */
    ASSERT_EQ_INT(truce__actors_resolve(a, "Military Forces of Syria "
                                           "(2000-); Civilians (Syria);"
                                           "Shabiha", r, 8), 3);
    check_ref(&r[0], id_of(a, "syrian-government"),
              "Military Forces of Syria (2000-)");
    check_ref(&r[1], TRUCE_ACTOR_CIVILIANS_IDX, "Civilians (Syria)");
    check_ref(&r[2], TRUCE_ACTOR_UNKNOWN_IDX, "Shabiha");
    /* A ';' member that does not match is split again at commas. */
    ASSERT_EQ_INT(truce__actors_resolve(a, "Ahrar al-Sham; 23rd Division, "
                                           "Sham Legion", r, 8), 3);
    check_ref(&r[0], id_of(a, "ahrar-al-sham"), "Ahrar al-Sham");
    check_ref(&r[1], id_of(a, "23rd-division"), "23rd Division");
    check_ref(&r[2], TRUCE_ACTOR_UNKNOWN_IDX, "Sham Legion");
    /* Empty members between separators are dropped. */
    ASSERT_EQ_INT(truce__actors_resolve(a, "IS;; ;Daesh", r, 8), 2);
    ASSERT_EQ_INT(r[0].actor, id_of(a, "islamic-state"));
    ASSERT_EQ_INT(r[1].actor, id_of(a, "islamic-state"));
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

TEST(actors_resolve_empty_field)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    struct truce_actor_ref r[4];
    ASSERT_OK(truce_ctx_new(&ctx));
    a = load_dict(ctx);
    ASSERT_EQ_INT(truce__actors_resolve(a, "", r, 4), 0);
    ASSERT_EQ_INT(truce__actors_resolve(a, NULL, r, 4), 0);
    ASSERT_EQ_INT(truce__actors_resolve(a, "   ", r, 4), 0);
    ASSERT_EQ_INT(truce__actors_resolve(a, " ; ", r, 4), 0);
    truce_actors_free(a);
    truce_ctx_free(ctx);
}

TEST(actors_empty_dictionary)
{
    struct truce_actors *a;
    struct truce_actor_ref r[4];
    ASSERT_OK(truce_actors_new_empty(&a));
    ASSERT_EQ_INT(truce_actors_count(a), 0);
    ASSERT_EQ_INT(truce__actors_resolve(a, "Civilians (Syria)", r, 4), 1);
    ASSERT_EQ_INT(r[0].actor, TRUCE_ACTOR_CIVILIANS_IDX);
    ASSERT_EQ_INT(truce__actors_resolve(a, "Government of Syria", r, 4), 1);
    ASSERT_EQ_INT(r[0].actor, TRUCE_ACTOR_UNKNOWN_IDX);
    truce_actors_free(a);
}

/* ------------------------------------------------------ dictionary errors */

static void
check_dict_error(const char *json, const char *const *needles)
{
    struct truce_ctx *ctx;
    struct truce_actors *a = NULL;
    truce_status st;
    ASSERT_OK(truce_ctx_new(&ctx));
    st = truce_actors_parse(ctx, json, strlen(json), "bad-dict.json", &a);
    if (st != TRUCE_EPARSE)
        FAIL_AT("parsing %s returned %s, expected %s", json,
                truce_strerror(st), truce_strerror(TRUCE_EPARSE));
    ASSERT(a == NULL);
    ASSERT(strstr(truce_ctx_errmsg(ctx), "bad-dict.json") != NULL);
    for (size_t i = 0; needles[i]; i++) {
        if (!strstr(truce_ctx_errmsg(ctx), needles[i]))
            FAIL_AT("message \"%s\" lacks \"%s\"", truce_ctx_errmsg(ctx),
                    needles[i]);
    }
    truce_ctx_free(ctx);
}

#define DICT_ERROR(json, ...)                                               \
    do {                                                                    \
        static const char *const n_[] = {__VA_ARGS__, NULL};                \
        check_dict_error((json), n_);                                       \
    } while (0)

TEST(actors_dictionary_errors)
{
    /* A duplicate id: the second one is actors[2]. */
    DICT_ERROR("{\"actors\": [{\"id\": \"a\", \"kind\": \"state\"},"
               " {\"id\": \"b\", \"kind\": \"rebel\"},"
               " {\"id\": \"a\", \"kind\": \"rebel\"}]}",
               "actors[2]", "'a'");
    /* An alias that names two actors ("saa" normalises like "SAA"). */
    DICT_ERROR("{\"actors\": [{\"id\": \"gov\", \"kind\": \"state\","
               " \"aliases\": [\"SAA\"]},"
               " {\"id\": \"x\", \"kind\": \"militia\","
               " \"aliases\": [\"Other\", \"saa\"]}]}",
               "actors[1]", "gov");
    /* An alias equal to another actor's name after normalisation. */
    DICT_ERROR("{\"actors\": [{\"id\": \"is\", \"name\": \"Islamic State\","
               " \"kind\": \"extremist\"},"
               " {\"id\": \"is2\", \"kind\": \"extremist\","
               " \"aliases\": [\"Islamic State (Syria)\"]}]}",
               "actors[1]", "'is'");
    /* A bad kind. */
    DICT_ERROR("{\"actors\": [{\"id\": \"a\", \"kind\": \"state\"},"
               " {\"id\": \"b\", \"kind\": \"army\"}]}",
               "actors[1]", "kind");
    /* A kind that is not a string. */
    DICT_ERROR("{\"actors\": [{\"id\": \"a\", \"kind\": 3}]}", "actors[0]",
               "kind");
    /* A missing id. */
    DICT_ERROR("{\"actors\": [{\"id\": \"a\", \"kind\": \"state\"},"
               " {\"id\": \"b\", \"kind\": \"state\"},"
               " {\"name\": \"No id\", \"kind\": \"state\"}]}",
               "actors[2]", "id");
    /* An empty id. */
    DICT_ERROR("{\"actors\": [{\"id\": \"\", \"kind\": \"state\"}]}",
               "actors[0]", "id");
    /* An alias that is not a string. */
    DICT_ERROR("{\"actors\": [{\"id\": \"a\", \"kind\": \"state\","
               " \"aliases\": [\"x\", 7]}]}",
               "actors[0]", "aliases[1]");
    /* No "actors" array; not JSON. */
    DICT_ERROR("{\"actor\": []}", "actors");
    DICT_ERROR("{\"actors\": [", "bad-dict.json");
}

/* ACLED's spellings: an "ABBR: " before the name, a unit after the force's
 * period; the abbreviation alone when the dictionary knows it. */
TEST(actors_resolve_acled_variants)
{
    struct truce_ctx *ctx;
    struct truce_actors *a;
    long gov, is, ahrar;
    ASSERT_OK(truce_ctx_new(&ctx));
    a = load_dict(ctx);
    gov = id_of(a, "syrian-government");
    is = id_of(a, "islamic-state");
    ahrar = id_of(a, "ahrar-al-sham");
    check_one(a, "Military Forces of Syria (2000-) Air Force", gov);
    check_one(a, "Military Forces of Syria (2011-) Republican Guard", gov);
    check_one(a, "AAS: Ahrar al Sham", ahrar);
    check_one(a, "ISIS: Islamic State", is);
    check_one(a, "IS: Some Other Name", is);        /* the abbreviation */
    check_one(a, "SAA: Military Forces of Syria (2000-) Air Force", gov);
    /* no variant: a colon that is no abbreviation, a lower-case prefix, a
     * period with nothing after it */
    check_one(a, "Militia: of Syria", TRUCE_ACTOR_UNKNOWN_IDX);
    check_one(a, "isis: nobody", TRUCE_ACTOR_UNKNOWN_IDX);
    check_one(a, "Police Forces of Syria (2000-)", TRUCE_ACTOR_UNKNOWN_IDX);
    check_one(a, "Unidentified Armed Group (Syria) Air Force",
              TRUCE_ACTOR_UNKNOWN_IDX);
    truce_actors_free(a);
    truce_ctx_free(ctx);
}
