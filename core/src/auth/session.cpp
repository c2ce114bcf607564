// session.cpp — AuthSession, the auth exchange's state machine (barrel/auth.h
// has the protocol; auth/frame.cpp the frame grammar; auth/proof.cpp what a
// PROOF is computed from).
//
// Input path: on_bytes() gathers one frame at a time in in_ (the header is
// checked as it arrives, so in_ never holds more than one frame a header
// allowed), hands each whole frame to on_frame(), and stops at the frame that
// ends the session. Every handler either advances stage_ (HELLO -> PROOF ->
// OK) or rejects; reject() is the only way into Rejected and queues the
// REJECT frame, except for a peer's own REJECT, which is never answered.
#include <algorithm>
#include <string>
#include <utility>

#include "auth/frame.h"
#include "auth/proof.h"
#include "barrel/assert.h"
#include "barrel/auth.h"
#include "barrel/ids.h"

namespace barrel {
namespace {

using auth::FrameType;

// The first bytes of a key, in hex, enough to tell two keys apart in a log.
std::string key_prefix(const PublicKey& key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < 8; ++i) {
    s.push_back(kHex[key[i] >> 4]);
    s.push_back(kHex[key[i] & 0xf]);
  }
  return s + "...";
}

std::string quoted(std::string_view name) {
  return "'" + std::string(name) + "'";
}

AuthReason reason_for(Code c) {
  return c == Code::kBadVersion ? AuthReason::kUnsupportedVersion : AuthReason::kMalformed;
}

}  // namespace

// --- construction -------------------------------------------------------------

Status AuthSession::check_arguments(const AuthConfig& config, std::string_view self_name,
                                    std::string_view dialed_name, bool client) {
  if (Status s = config.validate(); !s.is_ok())
    return s;
  if (Status s = validate_node_name(self_name); !s.is_ok())
    return Status::invalid_argument("own name: " + std::string(s.message()));
  if (client) {
    if (Status s = validate_node_name(dialed_name); !s.is_ok())
      return Status::invalid_argument("dialed name: " + std::string(s.message()));
  }
  return Status::ok();
}

Result<AuthSession> AuthSession::client(const AuthConfig& config, const AuthCrypto& crypto,
                                        PinStore& pins, std::string_view self_name,
                                        std::string_view dialed_name, const AuthNonce& nonce,
                                        const TlsExporter& exporter, Instant now) {
  if (Status s = check_arguments(config, self_name, dialed_name, true); !s.is_ok())
    return s;
  return AuthSession(config, crypto, pins, true, self_name, dialed_name, nonce, exporter, now);
}

Result<AuthSession> AuthSession::server(const AuthConfig& config, const AuthCrypto& crypto,
                                        PinStore& pins, std::string_view self_name,
                                        const AuthNonce& nonce, const TlsExporter& exporter,
                                        Instant now) {
  if (Status s = check_arguments(config, self_name, "", false); !s.is_ok())
    return s;
  return AuthSession(config, crypto, pins, false, self_name, "", nonce, exporter, now);
}

AuthSession::AuthSession(const AuthConfig& config, const AuthCrypto& crypto, PinStore& pins,
                         bool client, std::string_view self_name, std::string_view dialed_name,
                         const AuthNonce& nonce, const TlsExporter& exporter, Instant now)
    : config_(config),
      crypto_(&crypto),
      pins_(&pins),
      client_(client),
      self_name_(self_name),
      dialed_name_(dialed_name),
      nonce_(nonce),
      exporter_(exporter),
      deadline_(now + config.timeout) {
  BARREL_ASSERT(config_.validate().is_ok());
  BARREL_ASSERT(deadline_ > now);
  auth::Hello hello;
  hello.role = own_role();
  hello.name = self_name_;
  hello.key = crypto_->public_key();
  hello.nonce = nonce_;
  auth::encode_hello(hello, &out_);
  check_invariants();
}

// --- inputs -------------------------------------------------------------------

size_t AuthSession::on_bytes(Instant now, std::span<const uint8_t> in) {
  on_timer(now);
  size_t used = 0;
  // Bounded: every pass takes at least one byte of `in` (asserted).
  while (state_ == AuthState::kRunning && used < in.size()) {
    size_t want = auth::kHeaderBytes;
    if (in_.size() >= auth::kHeaderBytes)
      want += static_cast<size_t>(in_[2]) << 8 | in_[3];  // body_len, checked on arrival
    BARREL_ASSERT(want <= auth::kFrameBytesMax);
    BARREL_ASSERT(in_.size() < want);
    const size_t take = std::min(want - in_.size(), in.size() - used);
    BARREL_ASSERT(take > 0);
    const auto from = in.begin() + static_cast<std::ptrdiff_t>(used);
    in_.insert(in_.end(), from, from + static_cast<std::ptrdiff_t>(take));
    used += take;

    if (Status s = auth::check_version(in_[0]); !s.is_ok()) {
      reject(AuthReason::kUnsupportedVersion, std::string(s.message()));
      break;
    }
    if (in_.size() < auth::kHeaderBytes)
      continue;
    Result<auth::Header> header = auth::decode_header(in_);
    if (!header.is_ok()) {
      reject(reason_for(header.status().code()), std::string(header.status().message()));
      break;
    }
    if (in_.size() < auth::kHeaderBytes + header->body_len)
      continue;
    on_frame(static_cast<uint8_t>(header->type));
    in_.clear();
  }
  if (state_ != AuthState::kRunning)
    in_ = {};  // a finished session keeps no input (and no capacity)
  BARREL_ASSERT(used <= in.size());
  check_invariants();
  return used;
}

void AuthSession::on_stream_end(Instant now) {
  on_timer(now);
  if (state_ != AuthState::kRunning)
    return;
  std::string detail = "the peer ended the stream while we waited for its ";
  detail += awaited_frame();
  if (!in_.empty())
    detail += ", inside a frame (" + std::to_string(in_.size()) + " bytes of it received)";
  reject(AuthReason::kStreamEnded, std::move(detail));
  in_ = {};
  check_invariants();
}

void AuthSession::on_timer(Instant now) {
  if (state_ != AuthState::kRunning || now < deadline_)
    return;
  reject(AuthReason::kTimeout, "not authenticated within " + std::to_string(config_.timeout.ms()) +
                                   " ms (waiting for the peer's " + awaited_frame() + ")");
  in_ = {};
  check_invariants();
}

Instant AuthSession::deadline() const {
  return state_ == AuthState::kRunning ? deadline_ : Instant::never();
}

void AuthSession::take_output(std::vector<uint8_t>* out) {
  BARREL_ASSERT(out != nullptr);
  out->insert(out->end(), out_.begin(), out_.end());
  out_.clear();
}

// --- frames -------------------------------------------------------------------

void AuthSession::on_frame(uint8_t type_byte) {
  BARREL_ASSERT(state_ == AuthState::kRunning);
  BARREL_ASSERT(type_byte >= 1 && type_byte <= 4);  // decode_header() checked it
  const FrameType type = static_cast<FrameType>(type_byte);
  BARREL_ASSERT(in_.size() >= auth::kHeaderBytes);
  const std::span<const uint8_t> body = std::span<const uint8_t>(in_).subspan(auth::kHeaderBytes);
  BARREL_ASSERT(body.size() <= limits::kAuthFrameBodyBytesMax);
  switch (type) {
    case FrameType::kReject:
      on_reject(body);
      return;
    case FrameType::kHello:
      if (stage_ == Stage::kAwaitHello)
        return on_hello(body);
      break;
    case FrameType::kProof:
      if (stage_ == Stage::kAwaitProof)
        return on_proof(body);
      break;
    case FrameType::kOk:
      if (stage_ == Stage::kAwaitOk)
        return on_ok(body);
      break;
  }
  static constexpr const char* kNames[] = {"", "HELLO", "PROOF", "OK", "REJECT"};
  reject(AuthReason::kUnexpectedFrame, std::string("a ") + kNames[type_byte] +
                                           " while waiting for the peer's " + awaited_frame());
}

void AuthSession::on_hello(std::span<const uint8_t> body) {
  BARREL_ASSERT(stage_ == Stage::kAwaitHello);
  Result<auth::Hello> hello = auth::decode_hello(body);
  if (!hello.is_ok()) {
    reject(AuthReason::kMalformed, std::string(hello.status().message()));
    return;
  }
  if (hello->role != peer_role()) {
    reject(AuthReason::kRoleMismatch, std::string("the peer's HELLO claims role '") +
                                          static_cast<char>(hello->role) + "', which is ours");
    return;
  }
  // Allocated only now: decode_hello() validated the name.
  peer_name_.assign(hello->name);
  peer_key_ = hello->key;
  peer_nonce_ = hello->nonce;
  stage_ = Stage::kAwaitProof;
  send_proof();
}

void AuthSession::send_proof() {
  BARREL_ASSERT(!peer_name_.empty());
  auth::Proof proof;
  proof.echoed_nonce = peer_nonce_;
  proof.binding = auth::binding(*crypto_, exporter_);
  auth::TranscriptFields f;
  f.signer_role = own_role();
  f.signer_name = self_name_;
  f.verifier_name = peer_name_;
  f.signer_key = crypto_->public_key();
  f.echoed_verifier_nonce = peer_nonce_;
  f.signer_nonce = nonce_;
  f.binding = proof.binding;
  proof.signature = crypto_->sign(auth::transcript(f));
  proof.cookie_proof = auth::cookie_proof(*crypto_, config_.cookie, own_role(), exporter_);
  auth::encode_proof(proof, &out_);
}

void AuthSession::on_proof(std::span<const uint8_t> body) {
  BARREL_ASSERT(stage_ == Stage::kAwaitProof);
  bool pin_needed = false;
  std::string detail;
  AuthReason r = check_proof(body, &pin_needed, &detail);
  if (r == AuthReason::kNone && pin_needed)
    r = pin_peer(&detail);
  if (r != AuthReason::kNone) {
    reject(r, std::move(detail));
    return;
  }
  BARREL_ASSERT(pinned_ == pin_needed);
  stage_ = Stage::kAwaitOk;
  auth::encode_ok(&out_);
}

AuthReason AuthSession::check_proof(std::span<const uint8_t> body, bool* pin_needed,
                                    std::string* detail) {
  Result<auth::Proof> proof = auth::decode_proof(body);
  if (!proof.is_ok()) {
    *detail = std::string(proof.status().message());
    return AuthReason::kMalformed;
  }
  if (config_.enabled) {
    auth::TranscriptFields f;
    f.signer_role = peer_role();
    f.signer_name = peer_name_;
    f.verifier_name = self_name_;
    f.signer_key = peer_key_;
    f.echoed_verifier_nonce = proof->echoed_nonce;
    f.signer_nonce = peer_nonce_;
    f.binding = proof->binding;
    if (!crypto_->verify(peer_key_, auth::transcript(f), proof->signature)) {
      *detail = "the PROOF of " + quoted(peer_name_) + " does not verify under the key " +
                key_prefix(peer_key_) + " it claims";
      return AuthReason::kBadSignature;
    }
    if (!auth::equal_constant_time(proof->echoed_nonce, nonce_)) {
      *detail = "the PROOF of " + quoted(peer_name_) +
                " answers another nonce than ours (made for another session)";
      return AuthReason::kBindingMismatch;
    }
    if (!auth::equal_constant_time(proof->binding, auth::binding(*crypto_, exporter_))) {
      *detail = "the PROOF of " + quoted(peer_name_) +
                " is bound to another TLS session (exporter differs: relayed or replayed)";
      return AuthReason::kBindingMismatch;
    }
  }
  if (client_ && peer_name_ != dialed_name_) {
    *detail = "dialed " + quoted(dialed_name_) + " but the peer proved " + quoted(peer_name_);
    return AuthReason::kNameMismatch;
  }
  if (config_.enabled) {
    if (AuthReason r = check_trust(pin_needed, detail); r != AuthReason::kNone)
      return r;
  }
  const KeyedHash expected = auth::cookie_proof(*crypto_, config_.cookie, peer_role(), exporter_);
  if (!auth::equal_constant_time(proof->cookie_proof, expected)) {
    *detail = quoted(peer_name_) + " does not know the cluster cookie";
    return AuthReason::kBadCookie;
  }
  return AuthReason::kNone;
}

AuthReason AuthSession::check_trust(bool* pin_needed, std::string* detail) {
  BARREL_ASSERT(config_.enabled);
  Result<std::optional<PublicKey>> pinned = pins_->find(peer_name_);
  if (!pinned.is_ok()) {
    *detail = "reading the pin of " + quoted(peer_name_) + ": " + pinned.status().to_string();
    return AuthReason::kStoreError;
  }
  if (!pinned->has_value()) {
    if (config_.trust == TrustMode::kStrict) {
      *detail = quoted(peer_name_) + " is not pinned (strict trust); it proved key " +
                key_prefix(peer_key_);
      return AuthReason::kUntrustedKey;
    }
    *pin_needed = true;
    return AuthReason::kNone;
  }
  if (**pinned != peer_key_) {
    *detail = quoted(peer_name_) + " is pinned to key " + key_prefix(**pinned) +
              " but proved key " + key_prefix(peer_key_);
    return AuthReason::kKeyMismatch;
  }
  return AuthReason::kNone;
}

AuthReason AuthSession::pin_peer(std::string* detail) {
  BARREL_ASSERT(config_.enabled && config_.trust == TrustMode::kTofu);
  Status s = pins_->pin(peer_name_, peer_key_);
  if (s.is_ok()) {
    pinned_ = true;
    return AuthReason::kNone;
  }
  if (s.code() == Code::kAlreadyExists) {
    // Another session pinned a different key for this name since our find().
    *detail = quoted(peer_name_) + " was pinned to another key meanwhile; it proved key " +
              key_prefix(peer_key_);
    return AuthReason::kKeyMismatch;
  }
  *detail = "pinning " + quoted(peer_name_) + ": " + s.to_string();
  return AuthReason::kStoreError;
}

void AuthSession::on_ok(std::span<const uint8_t> body) {
  BARREL_ASSERT(stage_ == Stage::kAwaitOk);
  if (Status s = auth::decode_ok(body); !s.is_ok()) {
    reject(AuthReason::kMalformed, std::string(s.message()));
    return;
  }
  state_ = AuthState::kAccepted;
}

void AuthSession::on_reject(std::span<const uint8_t> body) {
  Result<uint8_t> reason = auth::decode_reject(body);
  if (!reason.is_ok()) {
    reject(AuthReason::kMalformed, std::string(reason.status().message()));
    return;
  }
  peer_reason_ = static_cast<AuthReason>(*reason);
  reject(AuthReason::kRejectedByPeer,
         "the peer rejected us: " + std::string(to_string(peer_reason_)) + " (" +
             std::to_string(*reason) + ")");
}

// --- helpers ------------------------------------------------------------------

void AuthSession::reject(AuthReason reason, std::string detail) {
  BARREL_ASSERT(state_ == AuthState::kRunning);
  BARREL_ASSERT(reason != AuthReason::kNone);
  state_ = AuthState::kRejected;
  reason_ = reason;
  detail_ = std::move(detail);
  // A REJECT is never answered (two rejecting ends would otherwise echo).
  if (reason != AuthReason::kRejectedByPeer)
    auth::encode_reject(static_cast<uint8_t>(reason), &out_);
}

const char* AuthSession::awaited_frame() const {
  switch (stage_) {
    case Stage::kAwaitHello:
      return "HELLO";
    case Stage::kAwaitProof:
      return "PROOF";
    case Stage::kAwaitOk:
      return "OK";
  }
  BARREL_ASSERT(false);
  return "";
}

uint8_t AuthSession::own_role() const {
  return client_ ? auth::kRoleClient : auth::kRoleServer;
}

uint8_t AuthSession::peer_role() const {
  return client_ ? auth::kRoleServer : auth::kRoleClient;
}

void AuthSession::check_invariants() const {
  BARREL_ASSERT(in_.size() <= auth::kFrameBytesMax);
  BARREL_ASSERT(out_.size() <= auth::kOutputBytesMax);
  if (state_ != AuthState::kRunning)
    BARREL_ASSERT(in_.empty());
  BARREL_ASSERT((state_ == AuthState::kRejected) == (reason_ != AuthReason::kNone));
  if (state_ == AuthState::kAccepted)
    BARREL_ASSERT(stage_ == Stage::kAwaitOk);
  if (stage_ != Stage::kAwaitHello)
    BARREL_ASSERT(!peer_name_.empty());
  if (pinned_)
    BARREL_ASSERT(stage_ == Stage::kAwaitOk);
  if (client_)
    BARREL_ASSERT(!dialed_name_.empty());
}

}  // namespace barrel
