// message_gen.h — random valid Messages for the wire codec tests.
//
// Everything is drawn from a seeded barrel::Rng, so every failing case can be
// replayed from its seed. Names cover the whole domain of validate_node_name():
// every allowed character, lengths from 3 up to the 255-byte maximum.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "barrel/ids.h"
#include "barrel/limits.h"
#include "barrel/message.h"
#include "barrel/rng.h"

namespace barrel::wire::test {

inline constexpr std::array<MessageType, 16> kAllTypes = {
    MessageType::kJoin,     MessageType::kForwardJoin,   MessageType::kJoinAccept,
    MessageType::kNeighbor, MessageType::kNeighborReply, MessageType::kDisconnect,
    MessageType::kShuffle,  MessageType::kShuffleReply,  MessageType::kGossip,
    MessageType::kIHave,    MessageType::kGraft,         MessageType::kPrune,
    MessageType::kProbe,    MessageType::kProbeAck,      MessageType::kSyncDigest,
    MessageType::kSyncDelta};

// A valid "name@host" of 3..255 bytes; one in eight is exactly 255 bytes.
inline std::string random_name(Rng& rng) {
  constexpr std::string_view kNameChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";
  constexpr std::string_view kHostChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-:";
  const size_t total =
      rng.uniform(8) == 0 ? limits::kNodeNameBytesMax : 3 + static_cast<size_t>(rng.uniform(38));
  const size_t name_len = 1 + static_cast<size_t>(rng.uniform(total - 2));  // host >= 1
  std::string s;
  for (size_t i = 0; i < name_len; ++i)
    s += kNameChars[rng.uniform(kNameChars.size())];
  s += '@';
  while (s.size() < total)
    s += kHostChars[rng.uniform(kHostChars.size())];
  return s;
}

// Makes random messages whose NodeIds are handles of one table.
class MessageGen {
 public:
  // Interns `pool_size` random names into `names` (REQUIRES: room for them).
  MessageGen(NameTable& names, uint64_t seed, size_t pool_size) : rng_(seed) {
    for (size_t i = 0; i < pool_size; ++i) {
      Result<NodeId> id = names.intern(random_name(rng_));
      BARREL_ASSERT(id.is_ok());
      pool_.push_back(*id);
    }
  }

  Message make(MessageType t) {
    switch (t) {
      case MessageType::kJoin:
        return Join{};
      case MessageType::kForwardJoin:
        return ForwardJoin{node(), ttl()};
      case MessageType::kJoinAccept:
        return JoinAccept{};
      case MessageType::kNeighbor:
        return Neighbor{rng_.uniform(2) == 1};
      case MessageType::kNeighborReply:
        return NeighborReply{rng_.uniform(2) == 1};
      case MessageType::kDisconnect:
        return Disconnect{rng_.uniform(2) == 1};
      case MessageType::kShuffle: {
        const NodeId origin = node();
        const uint8_t t8 = ttl();
        return Shuffle{origin, t8, nodes()};
      }
      case MessageType::kShuffleReply:
        return ShuffleReply{nodes()};
      case MessageType::kGossip: {
        Gossip g;
        g.id = id();
        g.origin = node();
        g.round = round();
        g.payload = payload();
        g.kind = static_cast<BroadcastKind>(rng_.uniform(kBroadcastKindMax + 1));
        return g;
      }
      case MessageType::kIHave:
        return ihave();
      case MessageType::kGraft:
        return Graft{id(), round()};
      case MessageType::kPrune:
        return Prune{};
      case MessageType::kProbe:
        return Probe{rng_.next()};
      case MessageType::kProbeAck:
        return ProbeAck{rng_.next(), rng_.next(), rng_.next()};
      case MessageType::kSyncDigest:
        return SyncDigest{payload()};
      case MessageType::kSyncDelta:
        return SyncDelta{payload()};
    }
    BARREL_ASSERT(false);
    return Join{};
  }

  Message any() { return make(kAllTypes[rng_.uniform(kAllTypes.size())]); }

  Rng& rng() { return rng_; }

 private:
  NodeId node() { return pool_[rng_.uniform(pool_.size())]; }
  uint8_t ttl() { return static_cast<uint8_t>(rng_.uniform(limits::kWalkLengthMax + 1)); }
  // 0..64 nodes (the two ends one time in eight each), repeats allowed.
  std::vector<NodeId> nodes() {
    const uint64_t pick = rng_.uniform(8);
    const size_t n = pick == 0   ? 0
                     : pick == 1 ? limits::kShuffleNodesMax
                                 : static_cast<size_t>(rng_.uniform(limits::kShuffleNodesMax + 1));
    std::vector<NodeId> out;
    for (size_t i = 0; i < n; ++i)
      out.push_back(node());
    return out;
  }

  MessageId id() { return MessageId{rng_.next(), rng_.next()}; }
  // Rounds: small ones mostly, the u16 ends sometimes.
  uint16_t round() {
    const uint64_t pick = rng_.uniform(8);
    return pick == 0   ? 0
           : pick == 1 ? UINT16_MAX
                       : static_cast<uint16_t>(rng_.uniform(pick == 2 ? 65536 : 20));
  }
  // 0..64 bytes mostly; 1 in 16 up to 4 KiB, 1 in 64 exactly the maximum
  // (kept rare: the random-input tests encode tens of thousands of these).
  Payload payload() {
    const uint64_t pick = rng_.uniform(64);
    const size_t n = pick == 0  ? limits::kBroadcastPayloadBytesMax
                     : pick < 5 ? static_cast<size_t>(rng_.uniform(4097))
                                : static_cast<size_t>(rng_.uniform(65));
    std::vector<uint8_t> b(n);
    for (uint8_t& x : b)
      x = static_cast<uint8_t>(rng_.next());
    return Payload(std::move(b));
  }
  // 0..64 entries, the two ends one time in eight each.
  IHave ihave() {
    const uint64_t pick = rng_.uniform(8);
    const size_t n = pick == 0   ? 0
                     : pick == 1 ? limits::kIHaveEntriesMax
                                 : static_cast<size_t>(rng_.uniform(limits::kIHaveEntriesMax + 1));
    IHave m;
    for (size_t i = 0; i < n; ++i)
      m.entries.push_back(IHaveEntry{id(), node(), round()});
    return m;
  }

  Rng rng_;
  std::vector<NodeId> pool_;
};

// `m` with every NodeId mapped by name from table `from` into table `to`
// (interning there): compares messages held in two different tables.
inline Message translate(const Message& m, const NameTable& from, NameTable& to) {
  auto map = [&](NodeId id) {
    Result<NodeId> r = to.intern(from.name(id));
    BARREL_ASSERT(r.is_ok());
    return *r;
  };
  auto map_all = [&](const std::vector<NodeId>& ids) {
    std::vector<NodeId> out;
    for (NodeId id : ids)
      out.push_back(map(id));
    return out;
  };
  if (const auto* fj = std::get_if<ForwardJoin>(&m))
    return ForwardJoin{map(fj->joiner), fj->ttl};
  if (const auto* sh = std::get_if<Shuffle>(&m))
    return Shuffle{map(sh->origin), sh->ttl, map_all(sh->nodes)};
  if (const auto* sr = std::get_if<ShuffleReply>(&m))
    return ShuffleReply{map_all(sr->nodes)};
  if (const auto* g = std::get_if<Gossip>(&m)) {
    Gossip out = *g;
    out.origin = map(g->origin);
    return out;
  }
  if (const auto* ih = std::get_if<IHave>(&m)) {
    IHave out = *ih;
    for (IHaveEntry& e : out.entries)
      e.origin = map(e.origin);
    return out;
  }
  return m;  // no NodeIds inside
}

}  // namespace barrel::wire::test
