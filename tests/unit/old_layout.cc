// Test helper: an index in the layout lede wrote before the list item
// slots (shim/internal.h), made from one written now by removing them, so
// that the list slot is exactly what the writer puts there.
#include "old_layout.h"

#include <cstdio>

#include "internal.h"

namespace {

// Every slot added with the item slots: the counts, then the items.
bool item_slot(Xapian::valueno slot) {
    return slot >= shim::SLOT_TAG_COUNT && slot < shim::SLOT_AUTHOR_ITEMS + shim::LIST_ITEM_SLOTS;
}

void strip(Xapian::WritableDatabase &db, Xapian::docid did) {
    Xapian::Document doc = db.get_document(did);
    std::vector<Xapian::valueno> slots;
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
        if (item_slot(v.get_valueno())) slots.push_back(v.get_valueno());
    for (Xapian::valueno s : slots) doc.remove_value(s);
    db.replace_document(did, doc);
}

} // namespace

extern "C" int old_layout_strip(const char *path, const char *id) {
    try {
        Xapian::WritableDatabase db(path, Xapian::DB_OPEN);
        std::string term = id ? std::string(shim::P_ID) + id : std::string();
        // Docids first: the documents are replaced while the list is read.
        std::vector<Xapian::docid> dids(db.postlist_begin(term), db.postlist_end(term));
        for (Xapian::docid did : dids) strip(db, did);
        db.commit();
        return 0;
    } catch (const Xapian::Error &e) {
        fprintf(stderr, "  old_layout_strip(%s): %s\n", path, e.get_description().c_str());
        return -1;
    }
}
