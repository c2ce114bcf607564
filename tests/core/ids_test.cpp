// ids_test — node-name validation and the interning table: names are checked
// before anything is allocated, handles are stable, and the table is bounded.
#include "barrel/ids.h"

#include <gtest/gtest.h>

#include <string>

namespace barrel {
namespace {

TEST(NodeName, AcceptsTheSeedConvention) {
  EXPECT_TRUE(validate_node_name("node1@localhost").is_ok());
  EXPECT_TRUE(validate_node_name("a.b-c_d@10.0.0.1").is_ok());
  EXPECT_TRUE(validate_node_name("n@::1").is_ok());
}

TEST(NodeName, RejectsMalformedNames) {
  for (const char* bad : {"", "node1", "@host", "node@", "no de@h", "n@h@h", "n@h/x", "é@h"}) {
    const Status s = validate_node_name(bad);
    EXPECT_EQ(s.code(), Code::kBadName) << bad;
  }
}

TEST(NodeName, LengthBound) {
  std::string ok = std::string(250, 'a') + "@host";
  EXPECT_EQ(ok.size(), 255u);
  EXPECT_TRUE(validate_node_name(ok).is_ok());
  EXPECT_EQ(validate_node_name(ok + "x").code(), Code::kBadName);
}

TEST(NameTable, InternIsStableAndFindable) {
  NameTable t(8);
  auto a = t.intern("a@h");
  auto b = t.intern("b@h");
  auto a2 = t.intern("a@h");
  ASSERT_TRUE(a.is_ok() && b.is_ok() && a2.is_ok());
  EXPECT_EQ(*a, *a2);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(t.name(*b), "b@h");
  EXPECT_EQ(t.find("b@h"), *b);
  EXPECT_FALSE(t.find("c@h").valid());
  EXPECT_EQ(t.size(), 2u);
}

TEST(NameTable, IsBounded) {
  NameTable t(2);
  ASSERT_TRUE(t.intern("a@h").is_ok());
  ASSERT_TRUE(t.intern("b@h").is_ok());
  auto c = t.intern("c@h");
  ASSERT_FALSE(c.is_ok());
  EXPECT_EQ(c.status().code(), Code::kLimitExceeded);
  EXPECT_TRUE(t.intern("a@h").is_ok());  // known names still resolve
}

TEST(NameTable, RejectsBadNamesWithoutInterning) {
  NameTable t(4);
  auto r = t.intern("bad name");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kBadName);
  EXPECT_EQ(t.size(), 0u);
}

TEST(NameTable, ViewsStayValidAsTheTableGrows) {
  NameTable t(10000);
  auto first = t.intern("x@h");
  ASSERT_TRUE(first.is_ok());
  std::string_view v = t.name(*first);
  for (int i = 0; i < 5000; ++i)
    ASSERT_TRUE(t.intern("n" + std::to_string(i) + "@h").is_ok());
  EXPECT_EQ(v, "x@h");
}

}  // namespace
}  // namespace barrel
