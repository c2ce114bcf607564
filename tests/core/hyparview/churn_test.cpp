// churn_test — HyParView under random churn: crashes, restarts under the
// same name (fresh state), leaves and re-joins, interleaved with traffic and
// timers; then a quiet minute. Every node's own invariants hold throughout
// (check_invariants() asserts after each input), and at the end every link
// is two-sided, the monitored links are exactly the active views, the views
// are within bounds and the nodes that take part form one component.
// Method: harness.h with 40 nodes; the churn is drawn from a seeded Rng, so
// each seed is one reproducible scenario; 30 seeds, in FIFO order and under
// random interleavings. Links are also checked whenever the network is quiet.
#include <gtest/gtest.h>

#include "core/hyparview/harness.h"

namespace barrel {
namespace {

// A live node that has not left, other than `except`, or size() if none was
// found in a bounded number of draws.
size_t random_member(const test::Harness& h, Rng& rng, size_t except) {
  for (int tries = 0; tries < 100; ++tries) {
    const size_t c = static_cast<size_t>(rng.uniform(h.size()));
    if (c != except && h.member(c))
      return c;
  }
  return h.size();
}

void churn_step(test::Harness& h, Rng& rng, uint64_t fresh_seed) {
  const size_t i = static_cast<size_t>(rng.uniform(h.size()));
  switch (rng.uniform(5)) {
    case 0:  // crash, keeping a majority alive
      if (h.alive(i) && h.live_count() > h.size() * 2 / 3)
        h.crash(i);
      break;
    case 1:  // restart a crashed node and join it through a member
      if (!h.alive(i)) {
        const size_t c = random_member(h, rng, i);
        if (c < h.size()) {
          h.restart(i, fresh_seed);
          h.join(i, c);
        }
      }
      break;
    case 2:
      if (h.member(i))
        h.leave(i);
      break;
    case 3:  // a node that left joins again
      if (h.alive(i) && h.node(i).has_left()) {
        const size_t c = random_member(h, rng, i);
        if (c < h.size())
          h.join(i, c);
      }
      break;
    default:  // only time passes
      break;
  }
}

void run_churn(uint64_t seed, bool interleave) {
  SCOPED_TRACE(seed);
  test::Harness h(40, seed);
  h.set_record_trace(false);
  if (interleave)
    h.interleave(derive_seed(seed, SeedDomain::kNetwork, 0));
  Rng rng(derive_seed(seed, SeedDomain::kFaults, 0));
  for (size_t i = 1; i < h.size(); ++i)
    h.join(i, static_cast<size_t>(rng.uniform(i)));
  ASSERT_TRUE(h.run_for(Duration::seconds(20)));
  for (uint64_t step = 0; step < 60; ++step) {
    churn_step(h, rng, derive_seed(seed, SeedDomain::kNode, 1000 + step));
    ASSERT_TRUE(h.run_for(Duration::millis(static_cast<int64_t>(rng.uniform(3000)))));
    // Whenever no message is in flight, links are two-sided.
    ASSERT_EQ(h.asymmetric_link(), "") << "after churn step " << step;
  }
  ASSERT_TRUE(h.run_for(Duration::seconds(60)));
  EXPECT_EQ(h.asymmetric_link(), "");
  EXPECT_EQ(h.link_bookkeeping_error(), "");
  EXPECT_EQ(h.view_bound_violation(), "");
  EXPECT_EQ(h.components(), 1u);
  for (size_t i = 0; i < h.size(); ++i) {
    if (h.member(i)) {
      EXPECT_FALSE(h.node(i).active_view().empty()) << "node " << i;
    }
  }
}

TEST(Churn, OverlayStaysSymmetricAndHealsAfterwards) {
  for (uint64_t seed = 1; seed <= 30; ++seed)
    run_churn(seed, /*interleave=*/false);
}

// The same under random interleavings of the messages between different
// pairs of nodes (harness.h, interleave()): crossings that FIFO order hides.
TEST(Churn, SymmetricUnderRandomInterleavings) {
  for (uint64_t seed = 1; seed <= 30; ++seed)
    run_churn(seed, /*interleave=*/true);
}

}  // namespace
}  // namespace barrel
