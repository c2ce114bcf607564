// hostile_input_test — an AuthSession survives any bytes a peer can send:
// it ends Rejected with the reason the grammar names, or waits for more, and
// never crashes, over-reads, buffers more than one frame, or accepts a peer
// whose stream was changed in any byte.
//
// Method: hand-made frames for each grammar rule (truncated, oversized,
// unknown version or type, bad bodies, frames out of order); seeded random
// byte streams in random chunks; every one-byte change of an honest client
// stream replayed into a server; and honest but one-sidedly refusing pairs
// driven with random chunking and interleaving, checking after every step
// that no side is Accepted while the other is Rejected. Run it in the
// sanitizer build too (-DBARREL_SANITIZE=ON).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "auth/frame.h"
#include "barrel/auth.h"
#include "barrel/rng.h"
#include "core/auth/auth_fakes.h"

namespace barrel::auth_test {
namespace {

constexpr Instant kT0 = Instant::from_us(5'000'000);

Bytes frame(uint8_t version, uint8_t type, const Bytes& body) {
  Bytes f = {version, type, static_cast<uint8_t>(body.size() >> 8),
             static_cast<uint8_t>(body.size())};
  f.insert(f.end(), body.begin(), body.end());
  return f;
}

Bytes concat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

class HostileInputTest : public ::testing::Test {
 protected:
  // A server whose HELLO has been taken, waiting for the client's.
  AuthSession server(uint64_t seed = 1) {
    Result<AuthSession> s = AuthSession::server(config_, bob_.crypto, bob_.pins, bob_.name,
                                                nonce_of(seed), exporter_of(seed), kT0);
    EXPECT_TRUE(s.is_ok());
    take(s.value());
    return std::move(s).value();
  }
  AuthSession client(uint64_t seed = 1) {
    Result<AuthSession> c =
        AuthSession::client(config_, alice_.crypto, alice_.pins, alice_.name, bob_.name,
                            nonce_of(seed + 7), exporter_of(seed), kT0);
    EXPECT_TRUE(c.is_ok());
    return std::move(c).value();
  }
  // A valid client HELLO frame (role 'C', alice's name and key).
  Bytes client_hello() {
    auth::Hello h;
    h.role = auth::kRoleClient;
    h.name = alice_.name;
    h.key = alice_.crypto.public_key();
    h.nonce = nonce_of(77);
    Bytes out;
    auth::encode_hello(h, &out);
    return out;
  }

  KeyRegistry registry_;
  Party alice_{&registry_, 1, "alice@host-a"};
  Party bob_{&registry_, 2, "bob@host-b"};
  AuthConfig config_;
};

TEST_F(HostileInputTest, TruncatedFrameThenStreamEnd) {
  AuthSession s = server();
  const Bytes hello = client_hello();
  const Bytes part(hello.begin(), hello.begin() + 10);
  EXPECT_EQ(s.on_bytes(kT0, part), part.size());
  EXPECT_EQ(s.state(), AuthState::kRunning);
  s.on_stream_end(kT0);
  EXPECT_EQ(s.reason(), AuthReason::kStreamEnded);
  EXPECT_NE(s.detail().find("inside a frame (10 bytes"), std::string::npos) << s.detail();
  EXPECT_EQ(take(s), frame(1, 4, {static_cast<uint8_t>(AuthReason::kStreamEnded)}));
}

TEST_F(HostileInputTest, TruncatedFrameThenTimeout) {
  AuthSession s = server();
  const Bytes hello = client_hello();
  EXPECT_EQ(s.on_bytes(kT0, std::span(hello).first(3)), 3u);  // inside the header
  s.on_timer(kT0 + Duration::seconds(4));
  EXPECT_EQ(s.state(), AuthState::kRunning);
  s.on_timer(s.deadline());
  EXPECT_EQ(s.reason(), AuthReason::kTimeout);
  // A finished session ignores the stream's end and further bytes.
  s.on_stream_end(kT0 + Duration::seconds(6));
  EXPECT_EQ(s.reason(), AuthReason::kTimeout);
  EXPECT_EQ(s.on_bytes(kT0, hello), 0u);
}

TEST_F(HostileInputTest, OversizedBodyLenIsMalformedAtTheHeader) {
  AuthSession s = server();
  const uint16_t len = limits::kAuthFrameBodyBytesMax + 1;
  Bytes in = {1, 1, static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)};
  in.resize(2000, 'x');
  EXPECT_EQ(s.on_bytes(kT0, in), 4u);  // the body is never buffered
  EXPECT_EQ(s.reason(), AuthReason::kMalformed);
  EXPECT_NE(s.detail().find("1025"), std::string::npos) << s.detail();
  EXPECT_EQ(take(s), frame(1, 4, {static_cast<uint8_t>(AuthReason::kMalformed)}));
}

TEST_F(HostileInputTest, BodyLenAtTheLimitIsBufferedThenJudged) {
  AuthSession s = server();
  const Bytes in = frame(1, 1, Bytes(limits::kAuthFrameBodyBytesMax, 'C'));
  EXPECT_EQ(s.on_bytes(kT0, std::span(in).first(in.size() - 1)), in.size() - 1);
  EXPECT_EQ(s.state(), AuthState::kRunning);
  EXPECT_EQ(s.on_bytes(kT0, std::span(in).last(1)), 1u);
  EXPECT_EQ(s.reason(), AuthReason::kMalformed);  // 'C' then name length 'C', ... trailing
}

TEST_F(HostileInputTest, UnknownVersionIsRefusedAtTheFirstByte) {
  for (uint8_t v : {0, 2, 255}) {
    AuthSession s = server();
    const Bytes in = frame(v, 1, {1, 2, 3});
    EXPECT_EQ(s.on_bytes(kT0, std::span(in).first(1)), 1u);
    EXPECT_EQ(s.reason(), AuthReason::kUnsupportedVersion) << int{v};
    EXPECT_NE(s.detail().find("version " + std::to_string(v)), std::string::npos);
  }
}

TEST_F(HostileInputTest, UnknownTypeIsMalformed) {
  for (uint8_t t : {0, 5, 255}) {
    AuthSession s = server();
    EXPECT_EQ(s.on_bytes(kT0, frame(1, t, {})), 4u);
    EXPECT_EQ(s.reason(), AuthReason::kMalformed) << int{t};
  }
}

TEST_F(HostileInputTest, FramesOutOfOrderAreUnexpected) {
  Bytes proof;
  auth::encode_proof(auth::Proof{}, &proof);
  Bytes ok;
  auth::encode_ok(&ok);
  const std::vector<Bytes> cases = {ok, proof, concat(client_hello(), client_hello()),
                                    concat(client_hello(), ok)};
  for (const Bytes& in : cases) {
    AuthSession s = server();
    EXPECT_EQ(s.on_bytes(kT0, in), in.size());
    EXPECT_EQ(s.reason(), AuthReason::kUnexpectedFrame) << s.detail();
  }
}

TEST_F(HostileInputTest, OwnRoleInHelloIsRoleMismatch) {
  Bytes hello = client_hello();
  hello[4] = auth::kRoleServer;
  AuthSession s = server();
  s.on_bytes(kT0, hello);
  EXPECT_EQ(s.reason(), AuthReason::kRoleMismatch);
}

TEST_F(HostileInputTest, MalformedBodiesAreMalformed) {
  const Bytes hello = client_hello();
  const Bytes hello_body(hello.begin() + 4, hello.end());
  Bytes bad_name = hello_body;
  bad_name[2] = ' ';  // inside "alice@host-a"
  Bytes zero_name = {'C', 0};
  zero_name.resize(2 + 64);
  const std::vector<std::pair<std::string, Bytes>> cases = {
      {"HELLO with a trailing byte", frame(1, 1, concat(hello_body, {0}))},
      {"HELLO one byte short", frame(1, 1, Bytes(hello_body.begin(), hello_body.end() - 1))},
      {"HELLO empty", frame(1, 1, {})},
      {"HELLO role 'X'",
       frame(1, 1, concat({'X'}, Bytes(hello_body.begin() + 1, hello_body.end())))},
      {"HELLO bad name", frame(1, 1, bad_name)},
      {"HELLO empty name", frame(1, 1, zero_name)},
      {"HELLO name longer than the body", frame(1, 1, {'C', 200, 'a', '@', 'b'})},
      {"REJECT empty", frame(1, 4, {})},
      {"REJECT two bytes", frame(1, 4, {1, 2})},
  };
  for (const auto& [what, in] : cases) {
    AuthSession s = server();
    EXPECT_EQ(s.on_bytes(kT0, in), in.size()) << what;
    EXPECT_EQ(s.reason(), AuthReason::kMalformed) << what << ": " << s.detail();
    EXPECT_TRUE(s.peer_name().empty()) << what;  // nothing stored from a refused HELLO
  }
  // PROOF and OK bodies, after a valid HELLO.
  const std::vector<std::pair<std::string, Bytes>> later = {
      {"PROOF one byte short", frame(1, 2, Bytes(auth::kProofBodyBytes - 1))},
      {"PROOF one byte long", frame(1, 2, Bytes(auth::kProofBodyBytes + 1))},
  };
  for (const auto& [what, in] : later) {
    AuthSession s = server();
    s.on_bytes(kT0, concat(client_hello(), in));
    EXPECT_EQ(s.reason(), AuthReason::kMalformed) << what << ": " << s.detail();
  }
}

// Any bytes: the session consumes all of them while Running, stops at its
// end, and never holds more than one frame.
TEST_F(HostileInputTest, RandomBytesNeverCrash) {
  Rng rng(0xa17c0de);
  std::map<AuthReason, int> tally;
  for (int iter = 0; iter < 20000; ++iter) {
    AuthSession s = server(static_cast<uint64_t>(iter));
    Bytes in(rng.uniform(64) == 0 ? rng.uniform(3000) : rng.uniform(80));
    for (uint8_t& b : in)
      b = static_cast<uint8_t>(rng.next());
    if (rng.uniform(2) == 0 && !in.empty())
      in[0] = 1;  // mostly a good version, so the rest of the grammar is reached
    if (in.size() > 1 && rng.uniform(2) == 0)
      in[1] = static_cast<uint8_t>(1 + rng.uniform(4));
    if (in.size() > 3 && rng.uniform(2) == 0) {
      in[2] = 0;  // body_len below 256, often the body's size or a REJECT's
      in[3] = rng.uniform(2) == 0 ? static_cast<uint8_t>(std::min<size_t>(in.size() - 4, 255))
                                  : static_cast<uint8_t>(rng.uniform(3));
    }
    if (rng.uniform(4) == 0) {
      // A valid HELLO, then sometimes a PROOF of the right size but random
      // content, so the proof checks are reached as well.
      Bytes proof_body(auth::kProofBodyBytes);
      for (uint8_t& b : proof_body)
        b = static_cast<uint8_t>(rng.next());
      in = rng.uniform(2) == 0 ? concat(client_hello(), in)
                               : concat(concat(client_hello(), frame(1, 2, proof_body)), in);
    }
    size_t at = 0;
    // Bounded: each pass advances `at` by at least one byte or stops.
    while (at < in.size()) {
      const size_t chunk = std::min<size_t>(in.size() - at, 1 + rng.uniform(300));
      const size_t used = s.on_bytes(kT0, std::span(in).subspan(at, chunk));
      ASSERT_LE(used, chunk);
      if (s.state() == AuthState::kRunning) {
        ASSERT_EQ(used, chunk);
      }
      at += chunk;
      if (s.state() != AuthState::kRunning)
        break;
    }
    ASSERT_NE(s.state(), AuthState::kAccepted) << "iteration " << iter;
    if (s.state() == AuthState::kRejected) {
      ASSERT_EQ(s.on_bytes(kT0, in), 0u);
    }
    Bytes out;
    s.take_output(&out);
    ASSERT_LE(out.size(), auth::kOutputBytesMax);
    tally[s.reason()]++;
  }
  // The generator reached the grammar's deep rules, not only the first byte.
  for (AuthReason r :
       {AuthReason::kNone, AuthReason::kMalformed, AuthReason::kUnsupportedVersion,
        AuthReason::kUnexpectedFrame, AuthReason::kRejectedByPeer, AuthReason::kBadSignature})
    EXPECT_GT(tally[r], 0) << to_string(r);
}

// Every one-byte change anywhere in an honest client's stream (HELLO, PROOF,
// OK) is refused by the server; none leads to Accepted.
TEST_F(HostileInputTest, EveryOneByteChangeOfAnHonestStreamIsRefused) {
  // Record the honest exchange.
  AuthSession c = client();
  Result<AuthSession> honest = AuthSession::server(config_, bob_.crypto, bob_.pins, bob_.name,
                                                   nonce_of(1), exporter_of(1), kT0);
  ASSERT_TRUE(honest.is_ok());
  Bytes c_stream;
  for (int round = 0; round < 4; ++round) {
    const Bytes to_s = take(c);
    const Bytes to_c = take(honest.value());
    c_stream = concat(c_stream, to_s);
    honest->on_bytes(kT0, to_s);
    c.on_bytes(kT0, to_c);
  }
  ASSERT_EQ(honest->state(), AuthState::kAccepted);
  ASSERT_EQ(c.state(), AuthState::kAccepted);
  bob_.pins.pins.clear();  // each replay is a first contact again

  Rng rng(42);
  std::map<AuthReason, int> tally;
  for (size_t i = 0; i < c_stream.size(); ++i) {
    // A low bit, a high bit, and a random change of the byte.
    for (uint8_t mask :
         {uint8_t{0x01}, uint8_t{0x80}, static_cast<uint8_t>(1 + rng.uniform(255))}) {
      Bytes changed = c_stream;
      changed[i] ^= mask;
      AuthSession s = server();
      s.on_bytes(kT0, changed);
      s.on_stream_end(kT0);
      ASSERT_EQ(s.state(), AuthState::kRejected) << "byte " << i;
      tally[s.reason()]++;
      bob_.pins.pins.clear();
    }
  }
  for (AuthReason r :
       {AuthReason::kMalformed, AuthReason::kUnsupportedVersion, AuthReason::kBadSignature,
        AuthReason::kBadCookie, AuthReason::kUnexpectedFrame})
    EXPECT_GT(tally[r], 0) << to_string(r);
}

// Honest ends, one of which refuses the other, delivered in random chunks
// and random interleavings: a side is Accepted only if the other is too.
TEST_F(HostileInputTest, NoSideIsAcceptedWhenTheOtherRejected) {
  struct Case {
    const char* what;
    std::function<void(AuthConfig*, AuthConfig*, Party*, Party*)> setup;
    bool accepted;
  };
  const PublicKey stranger = Party(&registry_, 1234, "x@y").crypto.public_key();
  const std::vector<Case> cases = {
      {"honest", [](AuthConfig*, AuthConfig*, Party*, Party*) {}, true},
      {"client refuses the key",
       [&](AuthConfig*, AuthConfig*, Party* a, Party* b) { a->pins.pins[b->name] = stranger; },
       false},
      {"server refuses the key",
       [&](AuthConfig*, AuthConfig*, Party* a, Party* b) { b->pins.pins[a->name] = stranger; },
       false},
      {"server strict",
       [](AuthConfig*, AuthConfig* sc, Party*, Party*) { sc->trust = TrustMode::kStrict; }, false},
      {"client strict",
       [](AuthConfig* cc, AuthConfig*, Party*, Party*) { cc->trust = TrustMode::kStrict; }, false},
      {"server pin fails",
       [](AuthConfig*, AuthConfig*, Party*, Party* b) { b->pins.fail_pin = true; }, false},
  };
  Rng rng(7);
  for (const Case& tc : cases) {
    for (int iter = 0; iter < 300; ++iter) {
      KeyRegistry registry;
      Party a(&registry, 1, "alice@host-a");
      Party b(&registry, 2, "bob@host-b");
      AuthConfig cc;
      AuthConfig sc;
      tc.setup(&cc, &sc, &a, &b);
      Result<AuthSession> c = AuthSession::client(cc, a.crypto, a.pins, a.name, b.name,
                                                  nonce_of(iter), exporter_of(iter), kT0);
      Result<AuthSession> s = AuthSession::server(sc, b.crypto, b.pins, b.name, nonce_of(iter + 1),
                                                  exporter_of(iter), kT0);
      ASSERT_TRUE(c.is_ok() && s.is_ok());
      Bytes to_s;
      Bytes to_c;
      // Bounded: each step delivers at least one byte or moves output; an
      // exchange is a few hundred bytes.
      for (int step = 0; step < 10000; ++step) {
        c->take_output(&to_s);
        s->take_output(&to_c);
        const bool s_can = !to_s.empty() && s->state() == AuthState::kRunning;
        const bool c_can = !to_c.empty() && c->state() == AuthState::kRunning;
        if (!s_can && !c_can)
          break;
        const bool to_server = s_can && (!c_can || rng.uniform(2) == 0);
        AuthSession& dst = to_server ? s.value() : c.value();
        Bytes& q = to_server ? to_s : to_c;
        const size_t n = std::min<size_t>(q.size(), 1 + rng.uniform(200));
        const size_t used = dst.on_bytes(kT0, std::span(q).first(n));
        q.erase(q.begin(), q.begin() + static_cast<ptrdiff_t>(used));
        const bool mixed =
            (c->state() == AuthState::kAccepted && s->state() == AuthState::kRejected) ||
            (s->state() == AuthState::kAccepted && c->state() == AuthState::kRejected);
        ASSERT_FALSE(mixed) << tc.what << " iteration " << iter;
      }
      const AuthState want = tc.accepted ? AuthState::kAccepted : AuthState::kRejected;
      ASSERT_EQ(c->state(), want) << tc.what << ": " << c->detail();
      ASSERT_EQ(s->state(), want) << tc.what << ": " << s->detail();
    }
  }
}

}  // namespace
}  // namespace barrel::auth_test
