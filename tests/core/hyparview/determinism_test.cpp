// determinism_test — a run is a function of its seed: two harness runs with
// the same seed produce the same effect sequence, bit for bit, and another
// seed produces another one.
// Method: harness.h with 20 nodes: joins, a few shuffle periods, a crash, a
// leave; compare the recorded traces.
#include <gtest/gtest.h>

#include "core/hyparview/harness.h"

namespace barrel {
namespace {

std::vector<test::TraceEntry> run(uint64_t seed) {
  test::Harness h(20, seed);
  for (size_t i = 1; i < h.size(); ++i)
    h.join(i, i / 2);  // a tree of contacts
  EXPECT_TRUE(h.run_for(Duration::seconds(30)));
  h.crash(3);
  h.crash(7);
  h.leave(11);
  EXPECT_TRUE(h.run_for(Duration::seconds(30)));
  EXPECT_EQ(h.asymmetric_link(), "");
  return h.trace();
}

TEST(Determinism, SameSeedSameEffects) {
  const auto a = run(42);
  const auto b = run(42);
  EXPECT_GT(a.size(), 1000u);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    ASSERT_EQ(a[i], b[i]) << "first difference at effect " << i;
}

TEST(Determinism, OtherSeedOtherEffects) {
  EXPECT_NE(run(42), run(43));
}

}  // namespace
}  // namespace barrel
