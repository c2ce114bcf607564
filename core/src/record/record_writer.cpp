// record_writer.cpp — Writer: CREATE, INPUT and EFFECTS records (record.h).
//
// INPUT args by kind:
//   join, link_down, link_failed   peer:str
//   leave, timers                  (none)
//   broadcast                      payload:str
//   register_service               service:str endpoint:u64 pairs:u32 (key:str value:str)*
//   unregister_service             service:str
//   close_endpoint                 endpoint:u64
//   deliver                        from:str frame            (the rest of the body)
// event := 1 PeerUp peer:str | 2 PeerDown peer:str reason:u8
//        | 3 BroadcastDelivered id_hi:u64 id_lo:u64 origin:str hops:u16 payload:str
//        | 4 ServiceRegistered service:str node:str | 5 ServiceUnregistered (same)
//        | 6 ServiceDown service:str node:str reason:u8
#include <type_traits>

#include "barrel/codec.h"
#include "barrel/record.h"
#include "record/byte_io.h"
#include "record/config_fields.h"

namespace barrel::record {

namespace {

struct ConfigPut {
  std::vector<uint8_t>* out;
  void operator()(uint8_t v) const { put_u8(out, v); }
  void operator()(uint32_t v) const { put_u32(out, v); }
  void operator()(Duration d) const { put_u64(out, static_cast<uint64_t>(d.us())); }
};

void put_event(std::vector<uint8_t>* out, const Event& ev, const NameTable& names) {
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, PeerUp>) {
          put_u8(out, 1);
          put_str(out, names.name(e.peer));
        } else if constexpr (std::is_same_v<T, PeerDown>) {
          put_u8(out, 2);
          put_str(out, names.name(e.peer));
          put_u8(out, static_cast<uint8_t>(e.reason));
        } else if constexpr (std::is_same_v<T, BroadcastDelivered>) {
          put_u8(out, 3);
          put_u64(out, e.id.hi);
          put_u64(out, e.id.lo);
          put_str(out, names.name(e.origin));
          put_u16(out, e.hops);
          put_bytes(out, e.payload.bytes());
        } else if constexpr (std::is_same_v<T, ServiceRegistered>) {
          put_u8(out, 4);
          put_str(out, e.service);
          put_str(out, e.node);
        } else if constexpr (std::is_same_v<T, ServiceUnregistered>) {
          put_u8(out, 5);
          put_str(out, e.service);
          put_str(out, e.node);
        } else {
          static_assert(std::is_same_v<T, ServiceDown>);
          put_u8(out, 6);
          put_str(out, e.service);
          put_str(out, e.node);
          put_u8(out, static_cast<uint8_t>(e.reason));
        }
      },
      ev);
}

}  // namespace

Status Writer::append(RecordTag tag, const std::vector<uint8_t>& body) {
  if (body.size() > kRecordBodyBytesMax)
    return Status(Code::kOversized, "record of " + std::to_string(body.size()) +
                                        " bytes is above kRecordBodyBytesMax");
  put_u8(&out_, static_cast<uint8_t>(tag));
  put_u32(&out_, static_cast<uint32_t>(body.size()));
  out_.insert(out_.end(), body.begin(), body.end());
  return Status::ok();
}

std::vector<uint8_t> Writer::take() {
  std::vector<uint8_t> out = std::move(out_);
  out_.clear();
  return out;
}

Status Writer::create(const Create& c) {
  if (created_)
    return Status::failed_precondition("CREATE already written");
  std::vector<uint8_t> body;
  for_each_config_field(c.config, ConfigPut{&body});
  put_str(&body, c.self);
  put_u64(&body, c.seed);
  put_u64(&body, c.now.us());
  put_u64(&body, c.boot_wall_us);
  put_u64(&body, c.names_max);
  out_.insert(out_.end(), kMagic.begin(), kMagic.end());
  put_u8(&out_, kVersion);
  created_ = true;
  return append(RecordTag::kCreate, body);
}

Status Writer::input(const Input& in) {
  if (!created_)
    return Status::failed_precondition("INPUT before CREATE");
  std::vector<uint8_t> body;
  put_u8(&body, static_cast<uint8_t>(in.kind));
  put_u64(&body, in.now.us());
  // A string above the body bound would wrap its u32 length: refuse first.
  auto too_big = [](size_t n) { return n > kRecordBodyBytesMax; };
  switch (in.kind) {
    case InputKind::kJoin:
    case InputKind::kLinkDown:
    case InputKind::kLinkFailed:
      put_str(&body, names_.name(in.peer));
      break;
    case InputKind::kLeave:
    case InputKind::kTimers:
      break;
    case InputKind::kBroadcast:
      if (too_big(in.payload.size()))
        return Status(Code::kOversized, "broadcast payload too large to record");
      put_bytes(&body, in.payload);
      break;
    case InputKind::kRegisterService: {
      if (too_big(in.service.size()))
        return Status(Code::kOversized, "service name too large to record");
      put_str(&body, in.service);
      put_u64(&body, in.endpoint);
      put_u32(&body, static_cast<uint32_t>(in.metadata.size()));
      for (const auto& [k, v] : in.metadata) {
        if (too_big(k.size()) || too_big(v.size()) || body.size() > kRecordBodyBytesMax)
          return Status(Code::kOversized, "metadata too large to record");
        put_str(&body, k);
        put_str(&body, v);
      }
      break;
    }
    case InputKind::kUnregisterService:
      if (too_big(in.service.size()))
        return Status(Code::kOversized, "service name too large to record");
      put_str(&body, in.service);
      break;
    case InputKind::kCloseEndpoint:
      put_u64(&body, in.endpoint);
      break;
    case InputKind::kDeliver:
      put_str(&body, names_.name(in.peer));
      if (Status s = wire::encode(in.msg, names_, &body); !s.is_ok())
        return s;
      break;
    default:
      return Status::invalid_argument("unknown input kind");
  }
  return append(RecordTag::kInput, body);
}

Status Writer::effects(std::span<const Effect> effects) {
  if (!created_)
    return Status::failed_precondition("EFFECTS before CREATE");
  std::vector<uint8_t> body;
  put_u32(&body, static_cast<uint32_t>(effects.size()));
  for (const Effect& effect : effects) {
    if (const auto* s = std::get_if<Send>(&effect)) {
      put_u8(&body, 1);
      put_str(&body, names_.name(s->to));
      if (Status st = wire::encode(s->msg, names_, &body); !st.is_ok())
        return st;
    } else if (const auto* o = std::get_if<OpenLink>(&effect)) {
      put_u8(&body, 2);
      put_str(&body, names_.name(o->peer));
    } else if (const auto* c = std::get_if<CloseLink>(&effect)) {
      put_u8(&body, 3);
      put_str(&body, names_.name(c->peer));
    } else {
      put_u8(&body, 4);
      put_event(&body, std::get<Emit>(effect).event, names_);
    }
    if (body.size() > kRecordBodyBytesMax)
      return Status(Code::kOversized, "effects too large to record");
  }
  return append(RecordTag::kEffects, body);
}

}  // namespace barrel::record
