// Facet counting that stays exact over remote shards; see value_spy.cc.
#ifndef LEDE_SHIM_VALUE_SPY_H
#define LEDE_SHIM_VALUE_SPY_H

#include <vector>

#include <xapian.h>

namespace shim {

// Xapian's ValueCountMatchSpy, except that on lede's side it leaves the
// documents of remote sub-databases to their servers. remote_subs says,
// for each sub-database of the database searched (Database::size()),
// whether it is remote; it must outlive the spy. Servers receive it as a
// plain ValueCountMatchSpy.
class value_spy : public Xapian::ValueCountMatchSpy {
  public:
    value_spy(Xapian::valueno slot, const std::vector<bool> &remote_subs)
        : Xapian::ValueCountMatchSpy(slot), remote_subs_(remote_subs) {}
    void operator()(const Xapian::Document &doc, double wt) override;

  private:
    const std::vector<bool> &remote_subs_;
};

} // namespace shim

#endif
