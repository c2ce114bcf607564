// engine_checkers_test.cpp — goal: the checkers catch what they claim to:
// each per-node view invariant violation, and overlay connectivity, symmetry,
// bounds and minimum degree on hand-built views. Method: small NameTables and
// views written by hand, one violation at a time, plus the clean case.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "barrel/rng.h"
#include "checkers/local_views.h"
#include "checkers/overlay.h"

namespace barrel::sim {
namespace {

class EngineCheckers : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 6; ++i)
      ASSERT_TRUE(names_.intern("n" + std::to_string(i) + "@t").is_ok());
  }
  bool check(std::vector<uint32_t> active, std::vector<uint32_t> passive) {
    a_.clear();
    p_.clear();
    for (uint32_t v : active)
      a_.push_back(NodeId(v));
    for (uint32_t v : passive)
      p_.push_back(NodeId(v));
    what_.clear();
    return checker_.check(NodeId(0), a_, p_, 3, 4, &what_);
  }

  NameTable names_{16};
  LocalViewChecker checker_{names_, 6};
  std::vector<NodeId> a_, p_;
  std::string what_;
};

TEST_F(EngineCheckers, LocalViewsCleanAndEachViolation) {
  EXPECT_TRUE(check({1, 2, 3}, {4, 5})) << what_;
  EXPECT_TRUE(check({1, 2, 3}, {4, 5})) << what_;  // stamps from the last check do not leak
  EXPECT_FALSE(check({1, 2, 3, 4}, {}));
  EXPECT_NE(what_.find("active view holds 4 members, bound 3"), std::string::npos) << what_;
  EXPECT_FALSE(check({}, {1, 2, 3, 4, 5}));
  EXPECT_NE(what_.find("passive view holds 5"), std::string::npos) << what_;
  EXPECT_FALSE(check({1, 0}, {}));
  EXPECT_NE(what_.find("itself"), std::string::npos) << what_;
  EXPECT_FALSE(check({}, {0}));
  EXPECT_NE(what_.find("passive view holds the node itself"), std::string::npos) << what_;
  EXPECT_FALSE(check({2, 2}, {}));
  EXPECT_NE(what_.find("n3@t twice"), std::string::npos) << what_;
  EXPECT_FALSE(check({}, {4, 1, 4}));
  EXPECT_NE(what_.find("passive view holds n5@t twice"), std::string::npos) << what_;
  EXPECT_FALSE(check({1, 2}, {3, 2}));
  EXPECT_NE(what_.find("n3@t is in both"), std::string::npos) << what_;
  EXPECT_FALSE(check({9}, {}));
  EXPECT_NE(what_.find("unknown node id 9"), std::string::npos) << what_;
}

// The checker's filter (local_views.h) must never change a verdict: full
// views (5 + 30) drawn from 100,000 ids, where filter bits collide often, are
// judged exactly as a set-based reference judges them, clean or with one
// duplicate planted at a random place.
TEST(EngineCheckersFilter, FullViewsJudgedAsBySets) {
  constexpr uint32_t kNodes = 100000;
  NameTable names(kNodes);
  for (uint32_t i = 0; i < kNodes; ++i)
    ASSERT_TRUE(names.intern("m" + std::to_string(i) + "@t").is_ok());
  LocalViewChecker checker(names, kNodes);
  Rng rng(7);
  int dirty = 0;
  for (int round = 0; round < 2000; ++round) {
    std::vector<NodeId> all;
    while (all.size() < 35) {
      const NodeId m(1 + static_cast<uint32_t>(rng.uniform(kNodes - 1)));  // never self (0)
      if (std::find(all.begin(), all.end(), m) == all.end())
        all.push_back(m);
    }
    const bool plant = round % 2 == 1;
    if (plant) {  // one member written over by another: a duplicate somewhere
      const size_t from = rng.uniform(35);
      size_t to = rng.uniform(35);
      if (to == from)
        to = (to + 1) % 35;
      all[to] = all[from];
    }
    const std::vector<NodeId> active(all.begin(), all.begin() + 5);
    const std::vector<NodeId> passive(all.begin() + 5, all.end());
    std::string what;
    const bool ok = checker.check(NodeId(0), active, passive, 5, 30, &what);
    EXPECT_EQ(ok, !plant) << "round " << round << ": " << what;
    if (!ok) {
      ++dirty;
      EXPECT_TRUE(what.find("twice") != std::string::npos ||
                  what.find("in both") != std::string::npos)
          << what;
    }
  }
  EXPECT_EQ(dirty, 1000);
}

struct Views {
  std::vector<std::vector<NodeId>> active;
  std::vector<bool> member;
  std::vector<ViewRef> refs() const {
    std::vector<ViewRef> out(active.size());
    for (size_t i = 0; i < active.size(); ++i) {
      out[i].member = member[i];
      out[i].active = active[i];
    }
    return out;
  }
  void link(uint32_t a, uint32_t b) {
    active[a].push_back(NodeId(b));
    active[b].push_back(NodeId(a));
  }
};

Views make(size_t n) {
  Views v;
  v.active.resize(n);
  v.member.assign(n, true);
  return v;
}

TEST(EngineOverlay, ConnectivityCountsComponentsOfMembers) {
  Views v = make(6);
  v.link(0, 1);
  v.link(1, 2);
  v.link(3, 4);
  OverlayChecker c;
  ConnectivityResult r = c.connectivity(v.refs());
  EXPECT_EQ(r.members, 6u);
  EXPECT_EQ(r.components, 3u);  // {0,1,2} {3,4} {5}
  EXPECT_EQ(r.largest, 3u);
  EXPECT_FALSE(r.connected());
  v.link(2, 3);
  v.member[5] = false;  // a crashed node does not count
  r = c.connectivity(v.refs());
  EXPECT_EQ(r.members, 5u);
  EXPECT_EQ(r.components, 1u);
  EXPECT_TRUE(r.connected());
  // A one-way entry still connects (as an undirected graph); one through a
  // non-member does not.
  Views w = make(3);
  w.active[0].push_back(NodeId(1));
  w.active[1].push_back(NodeId(2));
  w.member[1] = false;
  EXPECT_EQ(c.connectivity(w.refs()).components, 2u);
}

TEST(EngineOverlay, SymmetryFindsOneWayAndDanglingEntries) {
  Views v = make(4);
  v.link(0, 1);
  v.link(1, 2);
  EXPECT_TRUE(OverlayChecker::symmetry(v.refs()).symmetric());
  v.active[2].push_back(NodeId(3));
  SymmetryResult s = OverlayChecker::symmetry(v.refs());
  EXPECT_EQ(s.one_way, 1u);
  EXPECT_EQ(s.example_from, NodeId(2));
  EXPECT_EQ(s.example_to, NodeId(3));
  v.active[3].push_back(NodeId(2));
  v.member[0] = false;  // 1 -> 0 now dangles
  s = OverlayChecker::symmetry(v.refs());
  EXPECT_EQ(s.one_way, 0u);
  EXPECT_EQ(s.dangling, 1u);
  EXPECT_FALSE(s.symmetric());
}

TEST(EngineOverlay, BoundsAndActiveMin) {
  Views v = make(4);
  v.link(0, 1);
  v.link(0, 2);
  v.link(0, 3);
  ViewBoundsResult b = OverlayChecker::view_bounds(v.refs(), 3, 4);
  EXPECT_TRUE(b.within());
  EXPECT_EQ(b.max_active, 3u);
  b = OverlayChecker::view_bounds(v.refs(), 2, 4);
  EXPECT_EQ(b.violations, 1u);
  EXPECT_EQ(b.example, NodeId(0));
  const ActiveMinResult m = OverlayChecker::active_min(v.refs());
  EXPECT_EQ(m.min_active, 1u);
  EXPECT_EQ(m.example, NodeId(1));
  v.member.assign(4, false);
  EXPECT_EQ(OverlayChecker::active_min(v.refs()).min_active, UINT32_MAX);
}

}  // namespace
}  // namespace barrel::sim
