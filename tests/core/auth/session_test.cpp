// session_test — two AuthSessions, a client and a server, authenticate each
// other over an in-memory stream (auth_fakes.h), and every trust decision of
// barrel/auth.h step 3 gives its own reason on the deciding side and
// rejected_by_peer (with that reason) on the other.
//
// Method: build both ends from Party identities (fake crypto, in-memory pins),
// pump their output to each other in rounds, then check both states, reasons,
// pins and the bytes consumed. Attacks (replayed, relayed or tampered
// proofs) are made by capturing and editing the frames between the two.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/frame.h"
#include "barrel/auth.h"
#include "core/auth/auth_fakes.h"

namespace barrel::auth_test {
namespace {

constexpr Instant kT0 = Instant::from_us(1'000'000);

class SessionTest : public ::testing::Test {
 protected:
  AuthSession client(const AuthConfig& config, Party& self, std::string_view dialed,
                     uint64_t seed) {
    Result<AuthSession> s = AuthSession::client(config, self.crypto, self.pins, self.name, dialed,
                                                nonce_of(seed), exporter_of(seed), kT0);
    EXPECT_TRUE(s.is_ok()) << s.status().to_string();
    return std::move(s).value();
  }
  AuthSession server(const AuthConfig& config, Party& self, uint64_t seed,
                     uint64_t exporter_seed = 0) {
    Result<AuthSession> s =
        AuthSession::server(config, self.crypto, self.pins, self.name, nonce_of(seed + 1000),
                            exporter_of(exporter_seed ? exporter_seed : seed), kT0);
    EXPECT_TRUE(s.is_ok()) << s.status().to_string();
    return std::move(s).value();
  }

  KeyRegistry registry_;
  Party alice_{&registry_, 1, "alice@host-a"};
  Party bob_{&registry_, 2, "bob@host-b"};
  AuthConfig config_;
};

void expect_accepted(const AuthSession& s, const Party& peer) {
  EXPECT_EQ(s.state(), AuthState::kAccepted) << to_string(s.reason()) << ": " << s.detail();
  EXPECT_EQ(s.reason(), AuthReason::kNone);
  EXPECT_EQ(s.peer_name(), peer.name);
  EXPECT_EQ(s.peer_key(), peer.crypto.public_key());
  EXPECT_EQ(s.deadline(), Instant::never());
  EXPECT_TRUE(s.detail().empty());
}

// `decider` rejected with `reason`; `other` learned it from the REJECT.
void expect_rejected(const AuthSession& decider, const AuthSession& other, AuthReason reason) {
  EXPECT_EQ(decider.state(), AuthState::kRejected);
  EXPECT_EQ(decider.reason(), reason) << to_string(decider.reason()) << ": " << decider.detail();
  EXPECT_FALSE(decider.detail().empty());
  EXPECT_EQ(other.state(), AuthState::kRejected);
  EXPECT_EQ(other.reason(), AuthReason::kRejectedByPeer) << other.detail();
  EXPECT_EQ(other.peer_reason(), reason);
  EXPECT_NE(other.detail().find(std::string(to_string(reason))), std::string::npos)
      << other.detail();
}

TEST_F(SessionTest, TofuFirstContactAcceptsAndPinsOnBothSides) {
  AuthSession c = client(config_, alice_, bob_.name, 1);
  AuthSession s = server(config_, bob_, 1);
  EXPECT_EQ(c.deadline(), kT0 + Duration::seconds(5));
  EXPECT_EQ(pump(c, s, kT0), 3);  // HELLOs, PROOFs, OKs
  expect_accepted(c, bob_);
  expect_accepted(s, alice_);
  EXPECT_TRUE(c.pinned_on_this_session());
  EXPECT_TRUE(s.pinned_on_this_session());
  EXPECT_EQ(alice_.pins.pins.at(bob_.name), bob_.crypto.public_key());
  EXPECT_EQ(bob_.pins.pins.at(alice_.name), alice_.crypto.public_key());
  EXPECT_TRUE(take(c).empty());
  EXPECT_TRUE(take(s).empty());
}

TEST_F(SessionTest, SecondSessionWithSameKeysIsAcceptedWithoutPinning) {
  {
    AuthSession c = client(config_, alice_, bob_.name, 1);
    AuthSession s = server(config_, bob_, 1);
    pump(c, s, kT0);
    ASSERT_EQ(c.state(), AuthState::kAccepted);
  }
  AuthSession c = client(config_, alice_, bob_.name, 2);
  AuthSession s = server(config_, bob_, 2);
  pump(c, s, kT0);
  expect_accepted(c, bob_);
  expect_accepted(s, alice_);
  EXPECT_FALSE(c.pinned_on_this_session());
  EXPECT_FALSE(s.pinned_on_this_session());
  EXPECT_EQ(alice_.pins.pin_calls, 1);
  EXPECT_EQ(bob_.pins.pin_calls, 1);
}

TEST_F(SessionTest, StrictWithPrePinnedKeysIsAccepted) {
  config_.trust = TrustMode::kStrict;
  alice_.pins.pins[bob_.name] = bob_.crypto.public_key();
  bob_.pins.pins[alice_.name] = alice_.crypto.public_key();
  AuthSession c = client(config_, alice_, bob_.name, 3);
  AuthSession s = server(config_, bob_, 3);
  pump(c, s, kT0);
  expect_accepted(c, bob_);
  expect_accepted(s, alice_);
  EXPECT_FALSE(c.pinned_on_this_session());
  EXPECT_EQ(alice_.pins.pin_calls + bob_.pins.pin_calls, 0);
}

TEST_F(SessionTest, StrictUnpinnedIsUntrustedKey) {
  config_.trust = TrustMode::kStrict;
  bob_.pins.pins[alice_.name] = alice_.crypto.public_key();  // only the server knows its peer
  AuthSession c = client(config_, alice_, bob_.name, 4);
  AuthSession s = server(config_, bob_, 4);
  pump(c, s, kT0);
  expect_rejected(c, s, AuthReason::kUntrustedKey);
  EXPECT_TRUE(alice_.pins.pins.find(bob_.name) == alice_.pins.pins.end());  // strict never pins
}

TEST_F(SessionTest, TofuKeyChangeIsKeyMismatchAndNeverRepinned) {
  const PublicKey old_key = Party(&registry_, 99, bob_.name).crypto.public_key();
  alice_.pins.pins[bob_.name] = old_key;  // bob came back with a new key
  AuthSession c = client(config_, alice_, bob_.name, 5);
  AuthSession s = server(config_, bob_, 5);
  pump(c, s, kT0);
  expect_rejected(c, s, AuthReason::kKeyMismatch);
  EXPECT_EQ(alice_.pins.pins.at(bob_.name), old_key);
  EXPECT_FALSE(s.pinned_on_this_session() && s.state() == AuthState::kAccepted);
}

TEST_F(SessionTest, ServerSeesClientKeyChange) {
  bob_.pins.pins[alice_.name] = Party(&registry_, 98, alice_.name).crypto.public_key();
  AuthSession c = client(config_, alice_, bob_.name, 6);
  AuthSession s = server(config_, bob_, 6);
  pump(c, s, kT0);
  expect_rejected(s, c, AuthReason::kKeyMismatch);
  EXPECT_NE(s.detail().find(alice_.name), std::string::npos);
  // The client had accepted the server's proof (and pinned it) but is not up.
  EXPECT_TRUE(c.pinned_on_this_session());
}

TEST_F(SessionTest, WrongCookieIsBadCookieOnBothSides) {
  AuthConfig other = config_;
  other.cookie = "another cluster";
  config_.cookie = "our cluster";
  AuthSession c = client(config_, alice_, bob_.name, 7);
  AuthSession s = server(other, bob_, 7);
  pump(c, s, kT0);
  EXPECT_EQ(c.reason(), AuthReason::kBadCookie) << c.detail();
  EXPECT_EQ(s.reason(), AuthReason::kBadCookie) << s.detail();
  // Nothing is pinned for a peer outside the cluster.
  EXPECT_TRUE(alice_.pins.pins.empty());
  EXPECT_TRUE(bob_.pins.pins.empty());
}

TEST_F(SessionTest, ServerProvingAnotherNameThanDialedIsNameMismatch) {
  AuthSession c = client(config_, alice_, "carol@host-c", 8);
  AuthSession s = server(config_, bob_, 8);
  pump(c, s, kT0);
  expect_rejected(c, s, AuthReason::kNameMismatch);
  EXPECT_NE(c.detail().find("carol@host-c"), std::string::npos) << c.detail();
  EXPECT_NE(c.detail().find(bob_.name), std::string::npos) << c.detail();
  EXPECT_TRUE(alice_.pins.pins.empty());
}

TEST_F(SessionTest, RoleOfEachSideIsChecked) {
  AuthSession c1 = client(config_, alice_, bob_.name, 9);
  AuthSession c2 = client(config_, bob_, alice_.name, 9);
  pump(c1, c2, kT0);
  EXPECT_EQ(c1.reason(), AuthReason::kRoleMismatch);
  EXPECT_EQ(c2.reason(), AuthReason::kRoleMismatch);
}

// The frames one side wrote, split at frame boundaries.
std::vector<Bytes> split_frames(const Bytes& stream) {
  std::vector<Bytes> frames;
  size_t at = 0;
  while (at + auth::kHeaderBytes <= stream.size()) {  // bounded: each pass moves `at` forward
    const size_t len = auth::kHeaderBytes + (size_t{stream[at + 2]} << 8 | stream[at + 3]);
    frames.emplace_back(stream.begin() + static_cast<ptrdiff_t>(at),
                        stream.begin() + static_cast<ptrdiff_t>(at + len));
    at += len;
  }
  return frames;
}

// Runs a session pair to the end and returns the client's HELLO and PROOF.
std::pair<Bytes, Bytes> client_hello_and_proof(AuthSession& c, AuthSession& s) {
  Bytes c_stream = take(c);
  const Bytes s_hello = take(s);
  c.on_bytes(kT0, s_hello);
  const Bytes c_proof = take(c);
  c_stream.insert(c_stream.end(), c_proof.begin(), c_proof.end());
  const std::vector<Bytes> frames = split_frames(c_stream);
  EXPECT_EQ(frames.size(), 2u);
  return {frames.at(0), frames.at(1)};
}

TEST_F(SessionTest, ProofReplayedIntoAnotherTlsSessionIsBindingMismatch) {
  // Session 1: capture the client's HELLO and PROOF.
  AuthSession c1 = client(config_, alice_, bob_.name, 10);
  AuthSession s1 = server(config_, bob_, 10);
  const auto [hello, proof] = client_hello_and_proof(c1, s1);
  // Session 2: same server nonce (worst case), another TLS session.
  AuthSession s2 = server(config_, bob_, 10, /*exporter_seed=*/11);
  take(s2);
  EXPECT_EQ(s2.on_bytes(kT0, hello), hello.size());
  EXPECT_EQ(s2.on_bytes(kT0, proof), proof.size());
  EXPECT_EQ(s2.reason(), AuthReason::kBindingMismatch) << s2.detail();
  EXPECT_NE(s2.detail().find("TLS session"), std::string::npos) << s2.detail();
  // Session 3: same TLS session value but a fresh server nonce.
  AuthSession s3 = server(config_, bob_, 12, /*exporter_seed=*/10);
  take(s3);
  s3.on_bytes(kT0, hello);
  s3.on_bytes(kT0, proof);
  EXPECT_EQ(s3.reason(), AuthReason::kBindingMismatch) << s3.detail();
  EXPECT_NE(s3.detail().find("nonce"), std::string::npos) << s3.detail();
  EXPECT_TRUE(bob_.pins.pins.empty());
}

TEST_F(SessionTest, RelayBetweenTwoTlsSessionsIsBindingMismatchOnBothSides) {
  // A man in the middle terminates TLS on both sides (exporter 20 towards
  // alice, 21 towards bob) and relays the auth bytes verbatim.
  AuthSession c = client(config_, alice_, bob_.name, 20);
  AuthSession s = server(config_, bob_, 20, /*exporter_seed=*/21);
  pump(c, s, kT0);
  EXPECT_EQ(c.reason(), AuthReason::kBindingMismatch) << c.detail();
  EXPECT_EQ(s.reason(), AuthReason::kBindingMismatch) << s.detail();
}

TEST_F(SessionTest, TamperedSignatureIsBadSignature) {
  AuthSession c = client(config_, alice_, bob_.name, 30);
  AuthSession s = server(config_, bob_, 30);
  const auto [hello, proof] = client_hello_and_proof(c, s);
  Bytes bad = proof;
  bad[auth::kHeaderBytes + 17] ^= 0x01;  // inside the signature
  s.on_bytes(kT0, hello);
  s.on_bytes(kT0, bad);
  c.on_bytes(kT0, take(s));  // the server's PROOF, then its REJECT
  expect_rejected(s, c, AuthReason::kBadSignature);
}

TEST_F(SessionTest, PinStoreReadFailureIsStoreErrorAndPropagates) {
  alice_.pins.fail_find = true;
  AuthSession c = client(config_, alice_, bob_.name, 40);
  AuthSession s = server(config_, bob_, 40);
  pump(c, s, kT0);
  expect_rejected(c, s, AuthReason::kStoreError);
  EXPECT_NE(c.detail().find("injected read failure"), std::string::npos) << c.detail();
}

TEST_F(SessionTest, PinWriteFailureIsStoreError) {
  bob_.pins.fail_pin = true;
  AuthSession c = client(config_, alice_, bob_.name, 41);
  AuthSession s = server(config_, bob_, 41);
  pump(c, s, kT0);
  expect_rejected(s, c, AuthReason::kStoreError);
  EXPECT_FALSE(s.pinned_on_this_session());
}

TEST_F(SessionTest, PinRaceLostToAnotherKeyIsKeyMismatch) {
  bob_.pins.race_key = Party(&registry_, 97, alice_.name).crypto.public_key();
  AuthSession c = client(config_, alice_, bob_.name, 42);
  AuthSession s = server(config_, bob_, 42);
  pump(c, s, kT0);
  expect_rejected(s, c, AuthReason::kKeyMismatch);
  EXPECT_NE(s.detail().find("meanwhile"), std::string::npos) << s.detail();
}

TEST_F(SessionTest, UnknownReasonInPeerRejectIsKept) {
  AuthSession s = server(config_, bob_, 43);
  Bytes reject;
  auth::encode_reject(200, &reject);
  EXPECT_EQ(s.on_bytes(kT0, reject), reject.size());
  EXPECT_EQ(s.reason(), AuthReason::kRejectedByPeer);
  EXPECT_EQ(static_cast<int>(s.peer_reason()), 200);
  EXPECT_EQ(to_string(s.peer_reason()), "unknown");
  // A REJECT is never answered with a REJECT: only the HELLO is queued.
  EXPECT_EQ(split_frames(take(s)).size(), 1u);
}

TEST_F(SessionTest, TimeoutRejectsAtTheDeadlineAndNotBefore) {
  AuthSession c = client(config_, alice_, bob_.name, 50);
  take(c);
  const Instant deadline = c.deadline();
  ASSERT_EQ(deadline, kT0 + config_.timeout);
  c.on_timer(deadline - Duration::micros(1));
  EXPECT_EQ(c.state(), AuthState::kRunning);
  c.on_timer(deadline);
  EXPECT_EQ(c.state(), AuthState::kRejected);
  EXPECT_EQ(c.reason(), AuthReason::kTimeout);
  EXPECT_NE(c.detail().find("HELLO"), std::string::npos) << c.detail();
  EXPECT_EQ(c.deadline(), Instant::never());
  const Bytes out = take(c);
  ASSERT_EQ(out.size(), auth::kHeaderBytes + 1);
  EXPECT_EQ(out[1], static_cast<uint8_t>(auth::FrameType::kReject));
  EXPECT_EQ(out[4], static_cast<uint8_t>(AuthReason::kTimeout));
}

TEST_F(SessionTest, BytesArrivingAfterTheDeadlineAreNotConsumed) {
  config_.timeout = Duration::millis(100);
  AuthSession c = client(config_, alice_, bob_.name, 51);
  AuthSession s = server(config_, bob_, 51);
  const Bytes s_hello = take(s);
  EXPECT_EQ(c.on_bytes(kT0 + Duration::millis(100), s_hello), 0u);
  EXPECT_EQ(c.reason(), AuthReason::kTimeout);
}

TEST_F(SessionTest, TimeoutAfterOwnOkWhileWaitingForPeersOk) {
  AuthSession c = client(config_, alice_, bob_.name, 52);
  AuthSession s = server(config_, bob_, 52);
  const Bytes c_hello = take(c);
  const Bytes s_hello = take(s);
  c.on_bytes(kT0, s_hello);
  s.on_bytes(kT0, c_hello);
  c.on_bytes(kT0, take(s));  // the server's PROOF: the client accepts it and sends OK
  ASSERT_EQ(c.state(), AuthState::kRunning);
  c.on_timer(kT0 + config_.timeout);
  EXPECT_EQ(c.reason(), AuthReason::kTimeout);
  EXPECT_NE(c.detail().find("OK"), std::string::npos) << c.detail();
}

TEST_F(SessionTest, BytesAfterTheCompletingFrameAreNotConsumed) {
  AuthSession c = client(config_, alice_, bob_.name, 60);
  AuthSession s = server(config_, bob_, 60);
  const Bytes c_hello = take(c);
  const Bytes s_hello = take(s);
  EXPECT_EQ(c.on_bytes(kT0, s_hello), s_hello.size());
  Bytes c_stream = c_hello;
  const Bytes c_proof = take(c);
  c_stream.insert(c_stream.end(), c_proof.begin(), c_proof.end());
  // Two frames in one read: the server answers with its PROOF and its OK.
  EXPECT_EQ(s.on_bytes(kT0, c_stream), c_stream.size());
  Bytes s_rest = take(s);
  ASSERT_EQ(split_frames(s_rest).size(), 2u);
  const size_t s_frames = s_rest.size();
  const Bytes protocol = {1, 32, 0, 0, 0, 9, 'p', 'a', 'y', 'l', 'o', 'a', 'd', '!', '!'};
  s_rest.insert(s_rest.end(), protocol.begin(), protocol.end());
  EXPECT_EQ(c.on_bytes(kT0, s_rest), s_frames);
  EXPECT_EQ(c.state(), AuthState::kAccepted);
  Bytes c_ok = take(c);
  const size_t ok_bytes = c_ok.size();
  EXPECT_EQ(ok_bytes, auth::kHeaderBytes);
  c_ok.insert(c_ok.end(), protocol.begin(), protocol.end());
  EXPECT_EQ(s.on_bytes(kT0, c_ok), ok_bytes);
  EXPECT_EQ(s.state(), AuthState::kAccepted);
  // Once finished, nothing more is consumed.
  EXPECT_EQ(s.on_bytes(kT0, protocol), 0u);
  EXPECT_EQ(c.on_bytes(kT0, protocol), 0u);
}

TEST_F(SessionTest, ByteByByteDeliveryGivesTheSameResult) {
  AuthSession c = client(config_, alice_, bob_.name, 61);
  AuthSession s = server(config_, bob_, 61);
  // Bounded: each round moves every pending byte, and each side sends at
  // most three frames.
  for (int round = 0; round < 8; ++round) {
    const Bytes to_s = take(c);
    const Bytes to_c = take(s);
    for (uint8_t b : to_s)
      EXPECT_EQ(s.on_bytes(kT0, std::span<const uint8_t>(&b, 1)), 1u);
    for (uint8_t b : to_c)
      EXPECT_EQ(c.on_bytes(kT0, std::span<const uint8_t>(&b, 1)), 1u);
  }
  expect_accepted(c, bob_);
  expect_accepted(s, alice_);
}

TEST_F(SessionTest, AuthDisabledSkipsSignatureBindingAndTrust) {
  config_.enabled = false;
  config_.trust = TrustMode::kStrict;  // ignored when disabled
  alice_.pins.pins[bob_.name] = Party(&registry_, 96, bob_.name).crypto.public_key();
  // A key that differs from the pin and a tampered signature both pass. (A
  // relay between two TLS sessions still fails: the cookie proof is bound to
  // the exporter.)
  AuthSession c = client(config_, alice_, bob_.name, 70);
  AuthSession s = server(config_, bob_, 70);
  const auto [hello, proof] = client_hello_and_proof(c, s);
  Bytes bad = proof;
  bad[auth::kHeaderBytes + 3] ^= 0x80;
  s.on_bytes(kT0, hello);
  s.on_bytes(kT0, bad);
  c.on_bytes(kT0, take(s));
  s.on_bytes(kT0, take(c));
  expect_accepted(c, bob_);
  expect_accepted(s, alice_);
  EXPECT_FALSE(c.pinned_on_this_session());
  EXPECT_EQ(alice_.pins.finds + bob_.pins.finds, 0);  // the store is never touched
  EXPECT_TRUE(bob_.pins.pins.empty());
}

TEST_F(SessionTest, AuthDisabledStillChecksCookieAndDialedName) {
  config_.enabled = false;
  AuthConfig other = config_;
  other.cookie = "x";
  {
    AuthSession c = client(config_, alice_, bob_.name, 71);
    AuthSession s = server(other, bob_, 71);
    pump(c, s, kT0);
    EXPECT_EQ(c.reason(), AuthReason::kBadCookie);
    EXPECT_EQ(s.reason(), AuthReason::kBadCookie);
  }
  AuthSession c = client(config_, alice_, "carol@host-c", 72);
  AuthSession s = server(config_, bob_, 72);
  pump(c, s, kT0);
  expect_rejected(c, s, AuthReason::kNameMismatch);
}

TEST_F(SessionTest, EnabledSideChecksADisabledPeersRealProof) {
  AuthConfig off = config_;
  off.enabled = false;
  AuthSession c = client(config_, alice_, bob_.name, 73);
  AuthSession s = server(off, bob_, 73);
  pump(c, s, kT0);
  expect_accepted(c, bob_);
  expect_accepted(s, alice_);
  EXPECT_TRUE(c.pinned_on_this_session());
  EXPECT_FALSE(s.pinned_on_this_session());
}

TEST_F(SessionTest, ConstructionChecksNamesAndConfig) {
  const AuthNonce n = nonce_of(1);
  const TlsExporter e = exporter_of(1);
  Result<AuthSession> r =
      AuthSession::client(config_, alice_.crypto, alice_.pins, "no-at-sign", bob_.name, n, e, kT0);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  r = AuthSession::client(config_, alice_.crypto, alice_.pins, alice_.name, "", n, e, kT0);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  r = AuthSession::server(config_, bob_.crypto, bob_.pins, "bad name@h", n, e, kT0);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  AuthConfig bad = config_;
  bad.timeout = Duration::zero();
  EXPECT_EQ(bad.validate().code(), Code::kInvalidArgument);
  r = AuthSession::server(bad, bob_.crypto, bob_.pins, bob_.name, n, e, kT0);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  bad = config_;
  bad.cookie.assign(limits::kAuthCookieBytesMax + 1, 'c');
  EXPECT_EQ(bad.validate().code(), Code::kInvalidArgument);
  bad.cookie.pop_back();
  EXPECT_TRUE(bad.validate().is_ok());
}

TEST(AuthReasonTest, NamesAreTheSnakeCaseOnesHostsCount) {
  EXPECT_EQ(to_string(AuthReason::kKeyMismatch), "key_mismatch");
  EXPECT_EQ(to_string(AuthReason::kUntrustedKey), "untrusted_key");
  EXPECT_EQ(to_string(AuthReason::kBadSignature), "bad_signature");
  EXPECT_EQ(to_string(AuthReason::kBindingMismatch), "binding_mismatch");
  EXPECT_EQ(to_string(AuthReason::kNameMismatch), "name_mismatch");
  EXPECT_EQ(to_string(AuthReason::kBadCookie), "bad_cookie");
  EXPECT_EQ(to_string(AuthReason::kTimeout), "timeout");
  EXPECT_EQ(to_string(AuthReason::kMalformed), "malformed");
  EXPECT_EQ(to_string(AuthReason::kUnsupportedVersion), "unsupported_version");
  EXPECT_EQ(to_string(AuthReason::kRejectedByPeer), "rejected_by_peer");
  EXPECT_EQ(to_string(AuthReason::kStoreError), "store_error");
  EXPECT_EQ(to_string(AuthReason::kUnexpectedFrame), "unexpected_frame");
  EXPECT_EQ(to_string(AuthReason::kRoleMismatch), "role_mismatch");
  EXPECT_EQ(to_string(AuthReason::kStreamEnded), "stream_ended");
  EXPECT_EQ(to_string(AuthReason::kNone), "none");
  EXPECT_EQ(to_string(AuthState::kAccepted), "accepted");
}

}  // namespace
}  // namespace barrel::auth_test
