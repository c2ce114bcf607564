// registry_local_test — the local API of the Registry: register, unregister,
// close_endpoint and unregister_all, with the events they emit here, the
// broadcasts they queue (and their reason byte), the refusals (duplicate
// name, bad name or metadata, too many services) that change nothing, and
// what a second registry reports when it receives those broadcasts.
// Method: two in-memory peers (harness.h); payloads delivered by hand.
#include <gtest/gtest.h>

#include <string>

#include "barrel/limits.h"
#include "core/registry/harness.h"

namespace barrel::registry {
namespace {

using test::down;
using test::Ev;
using test::Peer;
using test::reg;
using test::unreg;

uint8_t reason_of(const Payload& p) {
  EXPECT_GE(p.size(), 1u);
  return p.bytes()[0];
}

TEST(RegistryLocal, RegisterEmitsBroadcastsAndShowsLocally) {
  Peer a("a@h", 10);
  Metadata md{{"role", "worker"}};
  ASSERT_TRUE(a.in().register_service(a.now, "db", 7, md, 10).is_ok());
  EXPECT_EQ(a.events(), (std::vector<Ev>{reg("db", "a@h")}));
  std::vector<Payload> out = a.broadcasts();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(reason_of(out[0]), 0);
  Result<RegistryBroadcast> b = decode_broadcast(out[0].bytes(), {});
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(b->delta.entry_count(), 1u);

  const std::vector<ServiceInstance> got = a.reg->lookup("db");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], (ServiceInstance{"db", "a@h", 7, 10, 10, md, true}));
  EXPECT_EQ(a.reg->whereis("db"), got[0]);
  EXPECT_EQ(a.reg->list_services(), std::vector<std::string>{"db"});
  EXPECT_EQ(a.reg->node_count(), 1u);
  EXPECT_EQ(a.reg->max_incarnation_of("a@h"), 10u);
  EXPECT_FALSE(a.reg->own_entries_lost());
  a.reg->check_invariants();
}

// With a linger, registrations made together go out as one delta group when
// the linger ends (handle_timers); another operation flushes it first.
TEST(RegistryLocal, RegistrationsLingerIntoOneBroadcast) {
  RegistryConfig config;
  config.register_linger = Duration::millis(20);
  Peer a("a@h", 10, config);
  for (const char* name : {"s1", "s2", "s3"})
    ASSERT_TRUE(a.in().register_service(a.now, name, 1, {}, 10).is_ok());
  EXPECT_TRUE(a.broadcasts().empty());
  EXPECT_LE(a.reg->next_deadline(), a.now + config.register_linger);  // from the first one
  EXPECT_GT(a.reg->next_deadline(), a.now - config.register_linger);
  a.reg->handle_timers(a.now + config.register_linger);
  std::vector<Payload> out = a.broadcasts();
  ASSERT_EQ(out.size(), 1u);
  Result<RegistryBroadcast> b = decode_broadcast(out[0].bytes(), {});
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(b->delta.entry_count(), 3u);
  EXPECT_EQ(a.reg->next_deadline(), Instant::never());
  // An unregister flushes a lingering group before its own broadcast.
  ASSERT_TRUE(a.in().register_service(a.now, "s4", 1, {}, 10).is_ok());
  ASSERT_TRUE(a.in().unregister_service(a.now, "s1").is_ok());
  out = a.broadcasts();
  ASSERT_EQ(out.size(), 2u);
  ASSERT_TRUE(decode_broadcast(out[0].bytes(), {}).is_ok());
  EXPECT_EQ(decode_broadcast(out[0].bytes(), {})->delta.entry_count(), 1u);  // s4
  EXPECT_EQ(decode_broadcast(out[1].bytes(), {})->delta.entry_count(), 0u);  // s1's removal
}

TEST(RegistryLocal, RefusalsChangeNothing) {
  Peer a("a@h", 10);
  ASSERT_TRUE(a.in().register_service(a.now, "db", 1, {}, 10).is_ok());
  a.events();
  a.broadcasts();
  const ormap::ORMap before = a.reg->map();

  EXPECT_EQ(a.in().register_service(a.now, "db", 2, {}, 10).code(), Code::kAlreadyExists);
  EXPECT_EQ(a.in().register_service(a.now, "", 2, {}, 10).code(), Code::kInvalidArgument);
  EXPECT_EQ(a.in()
                .register_service(a.now, std::string(limits::kOrMapKeyBytesMax + 1, 's'), 2, {}, 10)
                .code(),
            Code::kInvalidArgument);
  Status bad_md = a.in().register_service(
      a.now, "x", 2, {{"k", std::string(limits::kMetadataValueBytesMax + 1, 'v')}}, 10);
  EXPECT_EQ(bad_md.code(), Code::kInvalidArgument);
  EXPECT_NE(bad_md.message().find("value"), std::string_view::npos);
  EXPECT_EQ(a.in().unregister_service(a.now, "nope").code(), Code::kNotFound);

  EXPECT_TRUE(a.events().empty());
  EXPECT_TRUE(a.broadcasts().empty());
  EXPECT_EQ(a.reg->map(), before);
  EXPECT_EQ(a.reg->lookup("db")[0].endpoint, 1u);
  a.reg->check_invariants();
}

TEST(RegistryLocal, LocalServicesAreBounded) {
  Peer a("a@h", 10);
  for (size_t i = 0; i < limits::kLocalServicesMax; ++i)
    ASSERT_TRUE(a.in().register_service(a.now, "s" + std::to_string(i), 1, {}, 10).is_ok());
  EXPECT_EQ(a.in().register_service(a.now, "one-more", 1, {}, 10).code(), Code::kLimitExceeded);
  EXPECT_EQ(a.reg->list_services().size(), limits::kLocalServicesMax);
  a.reg->check_invariants();
}

TEST(RegistryLocal, UnregisterCloseEndpointAndLeaveAsSeenHereAndRemotely) {
  Peer a("a@h", 10);
  Peer b("b@h", 20);
  ASSERT_TRUE(a.in().register_service(a.now, "s1", 5, {}, 10).is_ok());
  ASSERT_TRUE(a.in().register_service(a.now, "s2", 5, {}, 10).is_ok());
  ASSERT_TRUE(a.in().register_service(a.now, "s3", 6, {}, 10).is_ok());
  ASSERT_TRUE(a.in().register_service(a.now, "s4", 6, {}, 10).is_ok());
  a.events();
  test::deliver(b, a.broadcasts());
  EXPECT_EQ(b.events(), (std::vector<Ev>{reg("s1", "a@h"), reg("s2", "a@h"), reg("s3", "a@h"),
                                         reg("s4", "a@h")}));
  EXPECT_EQ(b.reg->lookup("s1")[0].local, false);

  // Endpoint 5 closes: both of its services go, one broadcast with reason 1.
  a.in().close_endpoint(a.now, 5);
  EXPECT_EQ(a.events(), (std::vector<Ev>{down("s1", "a@h", ServiceDownReason::kEndpointClosed),
                                         down("s2", "a@h", ServiceDownReason::kEndpointClosed)}));
  std::vector<Payload> out = a.broadcasts();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(reason_of(out[0]), 1);
  test::deliver(b, out);
  EXPECT_EQ(b.events(), (std::vector<Ev>{down("s1", "a@h", ServiceDownReason::kEndpointClosed),
                                         down("s2", "a@h", ServiceDownReason::kEndpointClosed)}));
  EXPECT_TRUE(b.reg->lookup("s1").empty());
  a.in().close_endpoint(a.now, 5);  // no-op now
  EXPECT_TRUE(a.events().empty());
  EXPECT_TRUE(a.broadcasts().empty());

  ASSERT_TRUE(a.in().unregister_service(a.now, "s3").is_ok());
  EXPECT_EQ(a.events(), (std::vector<Ev>{unreg("s3", "a@h")}));
  out = a.broadcasts();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(reason_of(out[0]), 0);
  test::deliver(b, out);
  EXPECT_EQ(b.events(), (std::vector<Ev>{unreg("s3", "a@h")}));

  a.in().unregister_all(a.now);
  EXPECT_EQ(a.events(), (std::vector<Ev>{unreg("s4", "a@h")}));
  test::deliver(b, a.broadcasts());
  EXPECT_EQ(b.events(), (std::vector<Ev>{unreg("s4", "a@h")}));
  EXPECT_TRUE(b.reg->list_services().empty());
  EXPECT_TRUE(a.reg->list_services().empty());
  EXPECT_EQ(b.reg->node_count(), 0u);
  a.reg->check_invariants();
  b.reg->check_invariants();
  EXPECT_EQ(b.stats.registry_deltas_applied, 7u);
}

TEST(RegistryLocal, ReRegisterAfterUnregisterIsANewInstance) {
  Peer a("a@h", 10);
  Peer b("b@h", 20);
  ASSERT_TRUE(a.in().register_service(a.now, "s", 1, {}, 10).is_ok());
  ASSERT_TRUE(a.in().unregister_service(a.now, "s").is_ok());
  ASSERT_TRUE(a.in().register_service(a.now, "s", 2, {}, 10).is_ok());
  test::deliver(b, a.broadcasts());
  EXPECT_EQ(b.events(), (std::vector<Ev>{reg("s", "a@h"), unreg("s", "a@h"), reg("s", "a@h")}));
  EXPECT_EQ(b.who("s"), (std::vector<std::pair<std::string, EndpointId>>{{"a@h", 2}}));
}

TEST(RegistryLocal, WhereisPrefersLocalElseIsStablePerNode) {
  Peer a("a@h", 10);
  Peer b("b@h", 20);
  Peer c("c@h", 30);
  for (Peer* p : {&a, &b, &c})
    ASSERT_TRUE(p->in().register_service(p->now, "s", 1, {}, p->boot).is_ok());
  Peer d("d@h", 40);
  test::deliver(d, a.broadcasts());
  test::deliver(d, b.broadcasts());
  test::deliver(d, c.broadcasts());
  EXPECT_EQ(d.reg->lookup("s").size(), 3u);
  const std::optional<ServiceInstance> first = d.reg->whereis("s");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(d.reg->whereis("s"), first);  // stable
  EXPECT_FALSE(first->local);
  EXPECT_EQ(a.reg->whereis("s")->node, "a@h");  // local first
  EXPECT_EQ(d.reg->whereis("none"), std::nullopt);
}

}  // namespace
}  // namespace barrel::registry
