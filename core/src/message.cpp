#include "barrel/message.h"

#include <type_traits>

#include "barrel/event.h"

namespace barrel {
namespace {

template <size_t I, typename T, MessageType kType>
constexpr bool at_index() {
  return std::is_same_v<std::variant_alternative_t<I, Message>, T> &&
         static_cast<size_t>(kType) == I + 1;
}
static_assert(at_index<0, Join, MessageType::kJoin>());
static_assert(at_index<1, ForwardJoin, MessageType::kForwardJoin>());
static_assert(at_index<2, JoinAccept, MessageType::kJoinAccept>());
static_assert(at_index<3, Neighbor, MessageType::kNeighbor>());
static_assert(at_index<4, NeighborReply, MessageType::kNeighborReply>());
static_assert(at_index<5, Disconnect, MessageType::kDisconnect>());
static_assert(at_index<6, Shuffle, MessageType::kShuffle>());
static_assert(at_index<7, ShuffleReply, MessageType::kShuffleReply>());
static_assert(std::variant_size_v<Message> == 8, "new messages: extend message_type()");

}  // namespace

std::string_view to_string(MessageType t) {
  switch (t) {
    case MessageType::kJoin:
      return "JOIN";
    case MessageType::kForwardJoin:
      return "FORWARD_JOIN";
    case MessageType::kJoinAccept:
      return "JOIN_ACCEPT";
    case MessageType::kNeighbor:
      return "NEIGHBOR";
    case MessageType::kNeighborReply:
      return "NEIGHBOR_REPLY";
    case MessageType::kDisconnect:
      return "DISCONNECT";
    case MessageType::kShuffle:
      return "SHUFFLE";
    case MessageType::kShuffleReply:
      return "SHUFFLE_REPLY";
  }
  return "UNKNOWN";
}

MessageType message_type(const Message& m) {
  // The variant lists the HyParView messages in MessageType order (message.h).
  return static_cast<MessageType>(m.index() + 1);
}

std::string_view to_string(PeerDownReason r) {
  switch (r) {
    case PeerDownReason::kDisconnected:
      return "disconnected";
    case PeerDownReason::kLeft:
      return "left";
    case PeerDownReason::kLinkLost:
      return "link_lost";
    case PeerDownReason::kEvicted:
      return "evicted";
    case PeerDownReason::kLocalLeave:
      return "local_leave";
  }
  return "unknown";
}

}  // namespace barrel
