// Turns a shim_doc_t into a Xapian::Document: the one place that decides
// which words, terms and values an article is indexed under.
#include "document.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "facet_key.h"

namespace shim {

namespace {

bool present(const char *s) {
    return s && *s;
}

// The items that are not empty, each without LIST_SEP: what the list
// slot joins and what the item slots hold, in the caller's order.
std::vector<std::string> clean_items(const char *const *items, size_t n) {
    std::vector<std::string> out;
    for (size_t i = 0; i < n; i++) {
        if (!present(items[i])) continue;
        std::string item;
        for (const char *p = items[i]; *p; p++)
            if (*p != LIST_SEP) item += *p;
        if (!item.empty()) out.push_back(std::move(item));
    }
    return out;
}

void add_boolean(Xapian::Document &doc, const char *prefix, const char *value) {
    if (present(value)) doc.add_boolean_term(make_term(prefix, value, true));
}

const list_slots LISTS[] = {
    {SLOT_TAGS, SLOT_TAG_COUNT, SLOT_TAG_ITEMS, P_TAG_TIER},
    {SLOT_PLACES, SLOT_PLACE_COUNT, SLOT_PLACE_ITEMS, P_PLACE_TIER},
    {SLOT_AUTHORS, SLOT_AUTHOR_COUNT, SLOT_AUTHOR_ITEMS, P_AUTHOR_TIER},
};

void add_tier_terms(Xapian::Document &doc, const list_slots &s, size_t n) {
    for (unsigned t = 1; tier_begin(t) < n && tier_begin(t) < LIST_ITEM_SLOTS; t++)
        doc.add_boolean_term(tier_term(s, t));
}

// The list slot, the count and the first LIST_ITEM_SLOTS items, each in
// its own slot, and the tier terms. Items are kept as given, repeats too: a facet counts a
// repeated item once per occurrence, as it always has.
void add_list(Xapian::Document &doc, const char *prefix, Xapian::valueno slot,
              const char *const *items, size_t n) {
    for (size_t i = 0; i < n; i++) add_boolean(doc, prefix, items[i]);
    std::vector<std::string> clean = clean_items(items, n);
    if (clean.empty()) return;
    list_slots s;
    list_slots_of(slot, &s);
    std::string joined;
    for (size_t k = 0; k < clean.size(); k++) {
        if (k) joined += LIST_SEP;
        joined += clean[k];
        if (k < LIST_ITEM_SLOTS) doc.add_value(s.items + k, clean[k]);
    }
    doc.add_value(s.list, joined);
    add_tier_terms(doc, s, clean.size());
    doc.add_value(s.count, Xapian::sortable_serialise(static_cast<double>(clean.size())));
}

void add_text(Xapian::TermGenerator &tg, const shim_doc_t *d) {
    if (present(d->title)) {
        tg.index_text(d->title, 1, P_TITLE);
        tg.increase_termpos(FIELD_GAP);
        tg.index_text(d->title, TITLE_WDF);
        tg.increase_termpos(FIELD_GAP);
    }
    if (present(d->body)) {
        tg.index_text(d->body);
        tg.increase_termpos(FIELD_GAP);
    }
    for (size_t i = 0; i < d->n_authors; i++) {
        if (!present(d->authors[i])) continue;
        tg.index_text(d->authors[i], 1, P_AUTHOR);
        tg.increase_termpos(FIELD_GAP);
    }
}

void add_date(Xapian::Document &doc, const char *key) {
    if (!present(key) || strlen(key) < 8) return;
    doc.add_value(SLOT_DATE, key);
    doc.add_value(SLOT_DAY, std::string(key, 8));
    doc.add_value(SLOT_YEAR, std::string(key, 4));
}

std::string stamp_bytes(uint64_t stamp) {
    std::string s(8, '\0');
    for (int i = 7; i >= 0; i--, stamp >>= 8) s[i] = static_cast<char>(stamp & 0xff);
    return s;
}

} // namespace

Xapian::Document build_document(Xapian::TermGenerator &tg, const shim_doc_t *d) {
    if (!present(d->id)) throw Xapian::InvalidArgumentError("document has no id");
    Xapian::Document doc;
    tg.set_document(doc);
    add_text(tg, d);
    // The generator keeps a reference to the document; drop it so the
    // document can be handed on without a shared, non-atomic refcount.
    tg.set_document(Xapian::Document());

    doc.add_boolean_term(id_term(d->id));
    add_boolean(doc, P_SOURCE, d->source);
    add_boolean(doc, P_CATEGORY, d->category);
    if (present(d->source)) doc.add_value(SLOT_SOURCE, d->source);
    if (present(d->category)) doc.add_value(SLOT_CATEGORY, d->category);
    add_list(doc, P_TAG, SLOT_TAGS, d->tags, d->n_tags);
    add_list(doc, P_PLACE, SLOT_PLACES, d->places, d->n_places);
    add_list(doc, P_AUTHOR_EXACT, SLOT_AUTHORS, d->authors, d->n_authors);
    add_date(doc, d->date_key);
    add_facet_key(doc);
    doc.add_value(SLOT_STAMP, stamp_bytes(d->stamp));
    if (d->data) doc.set_data(std::string(d->data, d->data_len));
    if (d->summary) doc.add_value(SLOT_SUMMARY, std::string(d->summary, d->summary_len));
    return doc;
}

std::string id_term(const char *id) {
    return make_term(P_ID, id, false);
}

bool list_slots_of(Xapian::valueno list_slot, list_slots *out) {
    for (const list_slots &s : LISTS) {
        if (s.list != list_slot) continue;
        *out = s;
        return true;
    }
    return false;
}

Xapian::valueno tier_begin(unsigned tier) {
    return tier == 0 ? 0 : Xapian::valueno(1) << (tier - 1);
}

Xapian::valueno tier_end(unsigned tier) {
    return std::min(Xapian::valueno(1) << tier, LIST_ITEM_SLOTS);
}

std::string tier_term(const list_slots &s, unsigned tier) {
    return s.tier_prefix + std::to_string(tier);
}

} // namespace shim
