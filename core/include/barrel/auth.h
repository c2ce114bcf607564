// auth.h — the sans-I/O authentication of one connection (DESIGN.md §2, §4).
//
// After the QUIC TLS handshake the client opens the connection's first
// bidirectional stream and each end runs one AuthSession over it. The TLS
// certificates are self-signed and prove nothing; this exchange proves, in
// both directions, that the peer holds the Ed25519 key of the node name it
// claims, that it speaks inside *this* TLS session (channel binding through
// the TLS exporter), and that it knows the cluster cookie. Then the trust
// decision (tofu / strict, trust.h) says whether that key is the one we
// accept for that name. The proven name is the only name the core ever sees
// for the connection.
//
// Wire (all integers big-endian; the same grammar, with each rule's error,
// heads core/src/auth/frame.cpp):
//
//   frame     := version:u8 type:u8 body_len:u16 body[body_len]
//   version   := 1                              else reason unsupported_version
//   type      := HELLO 1 | PROOF 2 | OK 3 | REJECT 4        else malformed
//   body_len  := 0..limits::kAuthFrameBodyBytesMax (1024)   else malformed
//   HELLO     := role:u8 name:(len:u8 bytes[len]) public_key[32] nonce[32]
//   PROOF     := signature[64] echoed_nonce[32] binding[32] cookie_proof[32]
//   OK        := (empty)
//   REJECT    := reason:u8 (an AuthReason value; unknown values are kept)
//   role      := 'C' (client) | 'S' (server)
//   A body must be exactly its content (short or long: malformed); a name
//   must pass validate_node_name() (else malformed) before it is stored.
//
// Exchange (each side, at once, symmetric; the peer's frames must arrive in
// the order HELLO, PROOF, OK, and a REJECT may come at any point):
//   1. send HELLO {our role, our name, our public key, our fresh nonce};
//   2. on the peer's HELLO (role must be the opposite of ours) send PROOF:
//        binding      = keyed_hash(key = "", msg = exporter)
//        transcript   = "barrel-p2p/auth/v1" || signer role || signer name ||
//                       verifier name || signer public key ||
//                       echoed verifier nonce || signer nonce || binding
//                       (names len:u8-prefixed; "verifier name" is the name
//                       in the verifier's HELLO)
//        signature    = sign(transcript)
//        cookie_proof = keyed_hash(key = keyed_hash("", cookie),
//                                  msg = "barrel-p2p/cookie/v1" || signer role || exporter)
//   3. on the peer's PROOF, in this order, each failure its own reason:
//        the signature verifies over the transcript rebuilt from what the
//          peer claims (its HELLO, the PROOF's echoed nonce and binding,
//          our name as verifier)                         else bad_signature
//        echoed nonce == our nonce, binding == keyed_hash("", our exporter)
//          (a proof replayed from or relayed to another TLS session fails
//          here)                                         else binding_mismatch
//        client only: proven name == dialed name         else name_mismatch
//        trust: tofu  — pinned and different             -> key_mismatch
//                       pinned and equal                 -> ok
//                       not pinned                       -> pin on acceptance
//               strict — not pinned                      -> untrusted_key
//                        pinned and different            -> key_mismatch
//          (a PinStore read error                        -> store_error)
//        cookie_proof == ours (constant-time compare)    else bad_cookie
//      then pin (tofu, first contact; a failing pin -> store_error, a pin
//      that lost a race to a different key -> key_mismatch) and send OK;
//   4. on the peer's OK: Accepted.
// A session is Accepted only when it has accepted the peer's PROOF *and*
// received the peer's OK, so it never reports a peer up that refused it.
// Any rejection sends REJECT{reason} and ends the session Rejected; the host
// then closes the connection. A received REJECT ends it Rejected with reason
// rejected_by_peer (the peer's own reason in peer_reason() and detail()).
// One race remains, inherent to any exchange over a lossy link: a side that
// sent OK may still time out before the peer's OK arrives while the peer,
// having received that OK, is Accepted; the peer then sees the connection
// close, an ordinary connection loss.
//
// auth disabled (AuthConfig::enabled = false, for development only): the
// frames still flow and our own PROOF is still real (so an enabled peer can
// check it), but signature, binding and trust checks on the peer's PROOF are
// skipped and nothing is pinned; peer_key() is then merely claimed. The
// client's name check and the cookie check still apply.
//
// Stream use: on_bytes() consumes input frame by frame and stops at the end
// of the frame that completes the session (the peer's OK, or the frame that
// caused a rejection). What it did not consume belongs to the protocol
// (core wire codec) and the host hands it on. The session buffers at most
// one incomplete frame (limits::kAuthFrameHeaderBytes +
// limits::kAuthFrameBodyBytesMax bytes); its output is at most one frame of
// each type.
//
// Time and randomness are inputs: `now` on every call, the nonce (32 fresh
// random bytes from the host's CSPRNG; never reuse one) and the TLS exporter
// value at construction.
//
// Ownership and thread-safety: the session borrows the AuthCrypto and the
// PinStore, which must outlive it; it calls them synchronously and they must
// not call back into it. One session per connection, not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "barrel/result.h"
#include "barrel/status.h"
#include "barrel/time.h"
#include "barrel/trust.h"

namespace barrel {

inline constexpr size_t kAuthNonceBytes = 32;
inline constexpr size_t kTlsExporterBytes = 32;
using AuthNonce = std::array<uint8_t, kAuthNonceBytes>;
// The TLS exporter value of this connection's session (RFC 5705 / 8446 §7.5;
// transport/ derives it with a fixed label), the same at both ends of one
// TLS session and different in every other.
using TlsExporter = std::array<uint8_t, kTlsExporterBytes>;

struct AuthConfig {
  // false skips the signature, binding and trust checks (see the top of this
  // file). For development only; the cookie and the dialed name still count.
  bool enabled = true;
  TrustMode trust = TrustMode::kTofu;
  // The cluster cookie, 0..limits::kAuthCookieBytesMax bytes. Both ends must
  // have the same one; empty is a valid (shared) cookie.
  std::string cookie;
  // How long the whole exchange may take, from construction; > 0.
  Duration timeout = Duration::seconds(5);

  // OK, or kInvalidArgument naming the bad field.
  Status validate() const;
};

// Why a session was rejected. The values are on the wire (REJECT's reason
// byte): never renumber, only add.
enum class AuthReason : uint8_t {
  kNone = 0,                // not rejected
  kKeyMismatch = 1,         // the name is pinned to another key
  kUntrustedKey = 2,        // strict mode and the name is not pinned
  kBadSignature = 3,        // the PROOF's signature does not verify
  kBindingMismatch = 4,     // the PROOF was made for another TLS session or nonce
  kNameMismatch = 5,        // the server proved another name than the client dialed
  kBadCookie = 6,           // the peer does not know the cluster cookie
  kTimeout = 7,             // not done within AuthConfig::timeout
  kMalformed = 8,           // a frame that does not parse (or is oversized)
  kUnsupportedVersion = 9,  // a frame's version byte is not 1
  kRejectedByPeer = 10,     // the peer sent REJECT (never sent by us)
  kStoreError = 11,         // the PinStore failed
  kUnexpectedFrame = 12,    // a well-formed frame out of order (a second HELLO, ...)
  kRoleMismatch = 13,       // the peer's HELLO claims our own role
  kStreamEnded = 14,        // the peer ended the stream before the exchange was done
};
// The snake_case name ("key_mismatch", ...) that the host logs and counts;
// "unknown" for a value outside the enum (a newer peer's REJECT).
std::string_view to_string(AuthReason r);

enum class AuthState : uint8_t { kRunning = 1, kAccepted = 2, kRejected = 3 };
std::string_view to_string(AuthState s);

class AuthSession {
 public:
  // The two ends. Each queues its HELLO (take_output()) and sets the
  // deadline to now + config.timeout. Returns kInvalidArgument if the config
  // does not validate or a name does not pass validate_node_name().
  // REQUIRES: crypto and pins outlive the session.
  static Result<AuthSession> client(const AuthConfig& config, const AuthCrypto& crypto,
                                    PinStore& pins, std::string_view self_name,
                                    std::string_view dialed_name, const AuthNonce& nonce,
                                    const TlsExporter& exporter, Instant now);
  static Result<AuthSession> server(const AuthConfig& config, const AuthCrypto& crypto,
                                    PinStore& pins, std::string_view self_name,
                                    const AuthNonce& nonce, const TlsExporter& exporter,
                                    Instant now);

  AuthSession(AuthSession&&) noexcept = default;
  AuthSession& operator=(AuthSession&&) noexcept = default;
  AuthSession(const AuthSession&) = delete;
  AuthSession& operator=(const AuthSession&) = delete;

  // Feeds bytes read from the auth stream; returns how many it consumed.
  // While Running it consumes all of `in` unless a frame completes the
  // session, where it stops right after that frame; once not Running it
  // consumes nothing. If `now` is at or past the deadline the session is
  // rejected (timeout) first and nothing is consumed. The host passes the
  // unconsumed rest of an Accepted session to the protocol's decoder and
  // closes the connection of a Rejected one (after writing take_output()).
  size_t on_bytes(Instant now, std::span<const uint8_t> in);
  // The peer finished its side of the stream (or reset it). A Running session
  // is rejected (stream_ended); otherwise nothing happens.
  void on_stream_end(Instant now);
  // Rejects a Running session (timeout) if now >= deadline().
  void on_timer(Instant now);
  // When on_timer() must next be called; Instant::never() once not Running.
  Instant deadline() const;
  // Appends the bytes to write to the stream to *out and forgets them.
  // Call after every input. REQUIRES: out is not null.
  void take_output(std::vector<uint8_t>* out);

  AuthState state() const { return state_; }
  bool is_client() const { return client_; }
  // The peer's name and key from its HELLO; empty / zero before it. Proven
  // only once Accepted (with auth enabled).
  const std::string& peer_name() const { return peer_name_; }
  const PublicKey& peer_key() const { return peer_key_; }
  // True iff this session pinned the peer's key (tofu, first contact).
  bool pinned_on_this_session() const { return pinned_; }
  // kNone unless Rejected.
  AuthReason reason() const { return reason_; }
  // With reason() == kRejectedByPeer: the reason in the peer's REJECT.
  AuthReason peer_reason() const { return peer_reason_; }
  // Human text naming what was wrong (names, key prefixes); empty unless Rejected.
  const std::string& detail() const { return detail_; }

 private:
  // The peer frame the session waits for next.
  enum class Stage : uint8_t { kAwaitHello, kAwaitProof, kAwaitOk };

  AuthSession(const AuthConfig& config, const AuthCrypto& crypto, PinStore& pins, bool client,
              std::string_view self_name, std::string_view dialed_name, const AuthNonce& nonce,
              const TlsExporter& exporter, Instant now);
  static Status check_arguments(const AuthConfig& config, std::string_view self_name,
                                std::string_view dialed_name, bool client);

  // One complete frame of `type` in in_ (header checked).
  void on_frame(uint8_t type);
  void on_hello(std::span<const uint8_t> body);
  void on_proof(std::span<const uint8_t> body);
  void on_ok(std::span<const uint8_t> body);
  void on_reject(std::span<const uint8_t> body);
  // The checks of step 3 (top of file); kNone if the proof is accepted, with
  // *pin_needed set when tofu must pin the peer on acceptance.
  // *detail says what was wrong when the result is not kNone.
  AuthReason check_proof(std::span<const uint8_t> body, bool* pin_needed, std::string* detail);
  AuthReason check_trust(bool* pin_needed, std::string* detail);
  AuthReason pin_peer(std::string* detail);
  void send_proof();
  // Running -> Rejected with `reason`, queueing REJECT.
  void reject(AuthReason reason, std::string detail);
  // "HELLO", "PROOF" or "OK": the peer frame stage_ waits for (for details).
  const char* awaited_frame() const;
  uint8_t own_role() const;
  uint8_t peer_role() const;
  void check_invariants() const;

  AuthConfig config_;
  const AuthCrypto* crypto_;
  PinStore* pins_;
  bool client_;
  std::string self_name_;
  std::string dialed_name_;  // client only
  AuthNonce nonce_;
  TlsExporter exporter_;
  Instant deadline_;

  AuthState state_ = AuthState::kRunning;
  Stage stage_ = Stage::kAwaitHello;
  std::string peer_name_;
  PublicKey peer_key_{};
  AuthNonce peer_nonce_{};
  bool pinned_ = false;
  AuthReason reason_ = AuthReason::kNone;
  AuthReason peer_reason_ = AuthReason::kNone;
  std::string detail_;

  std::vector<uint8_t> in_;   // one incomplete frame, at most a frame's bytes
  std::vector<uint8_t> out_;  // at most one frame of each type
};

}  // namespace barrel
