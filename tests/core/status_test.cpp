// status_test — Status and Result: OK is free and carries no message, errors
// keep code and message through copies, and code bands classify correctly.
#include "barrel/status.h"

#include <gtest/gtest.h>

#include "barrel/config.h"
#include "barrel/result.h"

namespace barrel {
namespace {

TEST(Status, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.is_ok());
  EXPECT_EQ(s.code(), Code::kOk);
  EXPECT_EQ(s.to_string(), "OK");
}

TEST(Status, ErrorsCarryCodeAndMessageThroughCopies) {
  Status s(Code::kTruncated, "header needs 6 bytes, got 2");
  Status c = s;
  EXPECT_FALSE(c.is_ok());
  EXPECT_EQ(c.code(), Code::kTruncated);
  EXPECT_EQ(c.to_string(), "Truncated: header needs 6 bytes, got 2");
}

TEST(Status, Bands) {
  EXPECT_TRUE(is_input_error(Code::kMalformed));
  EXPECT_FALSE(is_input_error(Code::kInvalidArgument));
  EXPECT_TRUE(is_fatal(Code::kInternal));
  EXPECT_FALSE(is_fatal(Code::kBadVersion));
}

TEST(Result, ValueOrStatus) {
  Result<int> ok = 5;
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(*ok, 5);
  Result<int> bad = Status::not_found("x");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), Code::kNotFound);
}

TEST(NodeConfig, DefaultsAreThePapersAndValid) {
  NodeConfig c;
  EXPECT_EQ(c.hyparview.active_size, 5u);
  EXPECT_EQ(c.hyparview.passive_size, 30u);
  EXPECT_EQ(c.hyparview.arwl, 6);
  EXPECT_EQ(c.hyparview.prwl, 3);
  EXPECT_EQ(c.hyparview.shuffle_ka, 3u);
  EXPECT_EQ(c.hyparview.shuffle_kp, 4u);
  EXPECT_TRUE(c.validate().is_ok());
}

TEST(NodeConfig, RejectsOutOfRangeNamingTheField) {
  NodeConfig c;
  c.hyparview.active_size = 0;
  Status s = c.validate();
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("active_size"), std::string_view::npos);
  c = NodeConfig{};
  c.hyparview.prwl = 7;
  EXPECT_NE(c.validate().message().find("prwl"), std::string_view::npos);
  c = NodeConfig{};
  c.hyparview.repair_high_below = 0;
  EXPECT_NE(c.validate().message().find("repair_high_below"), std::string_view::npos);
}

}  // namespace
}  // namespace barrel
