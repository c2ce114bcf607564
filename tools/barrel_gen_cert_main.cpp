// barrel-gen-cert — pre-generates a node's TLS material (node.crt, node.key)
// so that a deployment can create it ahead of the first start (barrel-node
// creates the same files in data/quic/ when they are missing).
//
// Idempotent: when both files exist and are a certificate and its key, they
// are kept and the run succeeds without touching them; --force regenerates.
// A key alone, or a pair that does not match, is refused without --force (a
// secret is never discarded unasked). Files are written atomically, the key
// with mode 0600 from before its first byte (secure_file.h).
//
// Exit status: 0 done (written or kept), 1 failure, 2 bad arguments.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "barrel/transport/secure_file.h"
#include "barrel/transport/tls_material.h"

namespace {

using barrel::Status;
namespace bt = barrel::transport;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr size_t kPemBytesMax = 64 * 1024;

constexpr std::string_view kHelp =
    "usage: barrel-gen-cert --out-dir DIR --cn NAME [--days N] [--key-bits N] [--force]\n"
    "\n"
    "Writes a self-signed TLS certificate DIR/node.crt (0644) and its private key\n"
    "DIR/node.key (0600, PKCS#8 PEM), each atomically; creates DIR (0700) if missing.\n"
    "Prints the certificate's SHA-256 fingerprint.\n"
    "\n"
    "  --out-dir DIR   where to write (required); for a node: DATA_DIR/quic\n"
    "  --cn NAME       the certificate's common name, e.g. the node's name (required)\n"
    "  --days N        validity in days from now, 1..36500 (default 3650)\n"
    "  --key-bits N    an RSA key of N bits, 2048..16384; without this option the\n"
    "                  key is Ed25519 (smaller and faster; the default)\n"
    "  --force         regenerate even if DIR already holds a valid pair\n"
    "  --help          this text\n"
    "\n"
    "Without --force an existing valid pair is kept (exit 0, nothing written), and a\n"
    "key without its certificate, or a pair that does not match, is refused (exit 1).\n"
    "Exit status: 0 written or kept, 1 failure, 2 bad arguments.\n";

struct Args {
  std::string out_dir;
  std::string cn;
  uint32_t days = 3650;
  uint32_t key_bits = 0;  // 0: Ed25519
  bool force = false;
  bool help = false;
};

std::optional<uint32_t> parse_u32(std::string_view s) {
  uint32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty())
    return std::nullopt;
  return v;
}

// Parses argv into `out`; an empty string on success, else the complaint.
std::string parse(int argc, char** argv, Args& out) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::optional<std::string_view> inline_value;
    if (const size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      continue;
    }
    if (arg == "--force") {
      if (inline_value)
        return "--force takes no value";
      out.force = true;
      continue;
    }
    if (arg != "--out-dir" && arg != "--cn" && arg != "--days" && arg != "--key-bits")
      return "unknown option " + std::string(arg);
    std::string_view value;
    if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= argc)
        return std::string(arg) + " needs a value";
      value = argv[++i];
    }
    if (arg == "--out-dir") {
      if (value.empty())
        return "--out-dir needs a directory";
      out.out_dir = value;
    } else if (arg == "--cn") {
      if (value.empty() || value.size() > 255)
        return "--cn must be 1..255 bytes";
      out.cn = value;
    } else if (arg == "--days") {
      const auto d = parse_u32(value);
      if (!d || *d == 0 || *d > 36500)
        return "--days must be a whole number 1..36500, got '" + std::string(value) + "'";
      out.days = *d;
    } else {
      const auto b = parse_u32(value);
      if (!b || *b < 2048 || *b > 16384)
        return "--key-bits must be 2048..16384 (omit it for Ed25519), got '" + std::string(value) +
               "'";
      out.key_bits = *b;
    }
  }
  if (out.help)
    return "";
  if (out.out_dir.empty())
    return "--out-dir DIR is required";
  if (out.cn.empty())
    return "--cn NAME is required";
  return "";
}

int fail(const Status& s) {
  std::fprintf(stderr, "barrel-gen-cert: %s\n", std::string(s.message()).c_str());
  return kExitFailure;
}

int print_fingerprint(const std::string& cert_pem) {
  auto fp = bt::certificate_sha256_hex(cert_pem);
  if (!fp.is_ok())
    return fail(fp.status());
  std::printf("sha256 fingerprint: %s\n", fp->c_str());
  return kExitOk;
}

// Both files exist and --force is absent: keep a valid pair, refuse the rest.
int keep_existing(const std::string& cert_path, const std::string& key_path) {
  if (Status s = bt::check_private(key_path); !s.is_ok())
    return fail(s);
  auto cert = bt::read_file(cert_path, kPemBytesMax);
  if (!cert.is_ok())
    return fail(cert.status());
  auto key = bt::read_file(key_path, kPemBytesMax);
  if (!key.is_ok())
    return fail(key.status());
  bt::TlsMaterial m{.cert_pem = std::move(*cert), .key_pem = std::move(*key)};
  if (Status s = bt::check_tls_pair(m); !s.is_ok()) {
    std::fprintf(stderr,
                 "barrel-gen-cert: %s and %s are not a certificate and its key (%s); "
                 "--force replaces both\n",
                 cert_path.c_str(), key_path.c_str(), std::string(s.message()).c_str());
    return kExitFailure;
  }
  std::printf("kept %s and %s (a valid pair; --force regenerates)\n", cert_path.c_str(),
              key_path.c_str());
  return print_fingerprint(m.cert_pem);
}

int generate(const Args& a, const std::string& cert_path, const std::string& key_path) {
  auto m =
      bt::generate_self_signed({.common_name = a.cn, .days = a.days, .rsa_key_bits = a.key_bits});
  if (!m.is_ok())
    return fail(m.status());
  // The certificate first, as load_or_create_credentials does: a crash in
  // between leaves a certificate without a key, which both regenerate.
  if (Status s = bt::write_file_atomic(cert_path, m->cert_pem, 0644); !s.is_ok())
    return fail(s);
  if (Status s = bt::write_file_atomic(key_path, m->key_pem, 0600); !s.is_ok())
    return fail(s);
  const std::string kind =
      a.key_bits == 0 ? std::string("Ed25519") : "RSA-" + std::to_string(a.key_bits);
  std::printf("wrote %s and %s (%s, CN=%s, %u days)\n", cert_path.c_str(), key_path.c_str(),
              kind.c_str(), a.cn.c_str(), a.days);
  return print_fingerprint(m->cert_pem);
}

int run(const Args& a) {
  if (Status s = bt::ensure_directory(a.out_dir, 0700); !s.is_ok())
    return fail(s);
  const std::string cert_path = a.out_dir + "/node.crt";
  const std::string key_path = a.out_dir + "/node.key";
  auto cert_exists = bt::file_exists(cert_path);
  auto key_exists = bt::file_exists(key_path);
  if (!cert_exists.is_ok())
    return fail(cert_exists.status());
  if (!key_exists.is_ok())
    return fail(key_exists.status());
  if (!a.force && *key_exists) {
    if (*cert_exists)
      return keep_existing(cert_path, key_path);
    std::fprintf(stderr,
                 "barrel-gen-cert: %s exists without %s; refusing to replace a key "
                 "(--force does)\n",
                 key_path.c_str(), cert_path.c_str());
    return kExitFailure;
  }
  return generate(a, cert_path, key_path);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (const std::string err = parse(argc, argv, args); !err.empty()) {
    std::fprintf(stderr, "barrel-gen-cert: %s (see --help)\n", err.c_str());
    return kExitUsage;
  }
  if (args.help) {
    std::fwrite(kHelp.data(), 1, kHelp.size(), stdout);
    return kExitOk;
  }
  return run(args);
}
