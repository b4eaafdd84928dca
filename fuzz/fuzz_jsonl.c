/*
 * fuzz_jsonl.c - libFuzzer target: the truce JSON Lines reader
 * (one event object a line, DESIGN section 6).
 *
 * Each input is opened (fuzz_reader.h) as TRUCE_FMT_JSONL and
 * drained until TRUCE_EOF or TRUCE_EIO; every good event is also written as
 * JSON (truce_event_to_json) and dropped. Only the context lives across
 * inputs, so LeakSanitizer sees every per-input object freed. Built and run
 * by scripts/build-fuzz.sh (`make fuzz`); the files of fuzz/corpus/jsonl and
 * fuzz/regressions/jsonl are replayed by tests/unit/test_fuzz_regressions.c.
 */
#include "fuzz_reader.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reader(data, size, TRUCE_FMT_JSONL, "fuzz_jsonl");
}
