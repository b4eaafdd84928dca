/*
 * news_event.c - what becomes of an incident that truce_extract read in
 * an article (DESIGN section 9): the event it stands for (source "news",
 * marked unverified in its notes, the sentence beside), and storing one
 * that an analyst confirmed, assessed at once, with its audit entry.
 *
 * The mapping is the one `truce extract --ingest` (cli/cmd_news.c) and
 * `POST /api/extract/incidents` (server/api.c) share, so that an incident
 * stored from the command line and one stored from the dashboard are the
 * same event.
 */
#include "store.h"

#include <stdio.h>

#include <jansson.h>

#define NOTES_PREFIX "unverified, read from the news"

/* Copies o[key] to ev[key] when it is there (null included). */
static int
copy(json_t *ev, const char *key, json_t *o, const char *from)
{
    json_t *v = json_object_get(o, from ? from : key);
    return v ? json_object_set(ev, key, v) : 0;
}

static truce_status
bad_field(struct truce_ctx *ctx, const char *id, const char *field,
          const char *why)
{
    return truce__err(ctx, TRUCE_EINVAL, "incident%s%s: field '%s': %s",
                      id ? " " : "", id ? id : "", field, why);
}

truce_status
truce_extract_incident_event(struct truce_ctx *ctx, const char *json,
                             size_t n, struct truce_event *ev)
{
    json_error_t jerr;
    json_t *x, *pl, *sentence, *e = NULL;
    const char *id;
    char *text = NULL;
    truce_status rc;
    truce__clear(ctx);
    truce_event_release(ev);
    x = json_loadb(json, n, 0, &jerr);
    if (!x)
        return truce__err(ctx, TRUCE_EPARSE, "incident: not JSON: %s "
                          "(column %d)", jerr.text, jerr.column);
    if (!json_is_object(x)) {
        rc = truce__err(ctx, TRUCE_EPARSE, "incident: not a JSON object");
        goto out;
    }
    id = json_string_value(json_object_get(x, "id"));
    if (!id || strncmp(id, "news:", 5) || !id[5] || strlen(id) > 200) {
        rc = bad_field(ctx, NULL, "id", "missing, or not the id truce "
                       "extract gave (news:SOURCE:HASH:N)");
        goto out;
    }
    pl = json_object_get(x, "place");
    if (!json_is_object(pl) || !json_is_number(json_object_get(pl, "lat")) ||
        !json_is_number(json_object_get(pl, "lon"))) {
        rc = bad_field(ctx, id, "place", "no place with lat and lon: give "
                       "one before storing it");
        goto out;
    }
    sentence = json_object_get(x, "sentence");
    if (sentence && !json_is_string(sentence)) {
        rc = bad_field(ctx, id, "sentence", "not a string");
        goto out;
    }
    e = json_pack("{s:s,s:s,s:s}", "id", id, "source", "news", "source_id",
                  id + 5);
    if (!e || copy(e, "date_start", x, NULL) ||
        copy(e, "date_end", x, NULL) || copy(e, "lat", pl, NULL) ||
        copy(e, "lon", pl, NULL) || copy(e, "radius_km", pl, NULL) ||
        copy(e, "category", x, NULL) || copy(e, "subcategory", x, NULL) ||
        copy(e, "directed", x, NULL) || copy(e, "actor1", x, NULL) ||
        copy(e, "actor2", x, NULL) || copy(e, "fatalities", x, NULL) ||
        copy(e, "fatalities_low", x, NULL) ||
        copy(e, "fatalities_high", x, NULL) ||
        copy(e, "location", pl, "name") ||
        json_object_set_new(
            e, "notes",
            sentence ? json_sprintf(NOTES_PREFIX ": %s",
                                    json_string_value(sentence))
                     : json_string(NOTES_PREFIX)) ||
        !(text = json_dumps(e, JSON_COMPACT))) {
        rc = truce__err(ctx, TRUCE_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = truce_event_from_json(ctx, text, strlen(text), ev))) {
        /* the message names the field; say which incident it was */
        char msg[600];
        snprintf(msg, sizeof(msg), "%s", truce_ctx_errmsg(ctx));
        rc = truce__err(ctx, rc, "incident %s: %s", id, msg);
    }
out:
    free(text);
    json_decref(e);
    json_decref(x);
    return rc;
}

truce_status
truce_store_places_version(struct truce_store *st, int64_t *out)
{
    truce__clear(st->ctx);
    return st->ops->places_version(st->impl, out);
}

truce_status
truce_store_add_news(struct truce_store *st,
                     const struct truce_agreements *set,
                     const struct truce_actors *actors,
                     const struct truce_event *ev, const char *user,
                     enum truce_put_result *out)
{
    struct truce_ctx *ctx = st->ctx;
    enum truce_put_result res;
    truce_status rc;
    truce__clear(ctx);
    if (!ev->id || !ev->source || strcmp(ev->source, "news"))
        return truce__err(ctx, TRUCE_EINVAL, "event '%s' is not of source "
                          "news (truce_extract_incident_event makes one)",
                          ev->id ? ev->id : "");
    if (!user || !user[0])
        return truce__err(ctx, TRUCE_EINVAL, "no user to record in the "
                          "audit trail");
    if ((rc = truce_store_begin(st)))
        return rc;
    if ((rc = truce__store_put_assessed(st, set, actors, ev, user, "news",
                                        true, &res)) ||
        (rc = truce_store_commit(st))) {
        truce__store_abort(st);
        return rc;
    }
    if (out)
        *out = res;
    return TRUCE_OK;
}
