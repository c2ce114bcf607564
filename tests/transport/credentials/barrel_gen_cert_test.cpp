// barrel-gen-cert, run as a process: it writes a valid pair with the right
// modes, a second run keeps the files untouched, --force replaces them, RSA
// works, and bad arguments exit 2 with a message. Method: posix_spawn the
// binary (BARREL_GEN_CERT_BIN) with output captured to a file, in a fresh
// temp directory per test.
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "barrel/transport/tls_material.h"
#include "temp_dir.h"

extern char** environ;

namespace barrel::transport {
namespace {

using test::mode_of;
using test::slurp;
using test::spit;
using test::TempDir;
using test::tree;

struct ToolRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

ToolRun run_tool(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), BARREL_GEN_CERT_BIN);
  std::vector<char*> argv;
  for (std::string& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string out_path = dir / "tool.out";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = -1;
  const int rv = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ToolRun r;
  if (rv != 0)
    return r;
  int status = 0;
  if (::waitpid(pid, &status, 0) == pid && WIFEXITED(status))
    r.exit_code = WEXITSTATUS(status);
  r.output = slurp(out_path);
  ::unlink(out_path.c_str());
  return r;
}

bool contains(const std::string& s, std::string_view what) {
  return s.find(what) != std::string::npos;
}

struct timespec mtime_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mtim;
}

bool same_time(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

TEST(BarrelGenCert, WritesAValidPairWithTheRightModes) {
  TempDir dir;
  const std::string out = dir / "quic";
  ToolRun r = run_tool(dir, {"--out-dir", out, "--cn", "node1@localhost", "--days", "30"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(mode_of(out), 0700);
  EXPECT_EQ(mode_of(out + "/node.key"), 0600);
  EXPECT_EQ(mode_of(out + "/node.crt"), 0644);
  const TlsMaterial m{.cert_pem = slurp(out + "/node.crt"), .key_pem = slurp(out + "/node.key")};
  EXPECT_TRUE(check_tls_pair(m).is_ok());
  auto fp = certificate_sha256_hex(m.cert_pem);
  ASSERT_TRUE(fp.is_ok());
  EXPECT_TRUE(contains(r.output, "sha256 fingerprint: " + *fp)) << r.output;
  EXPECT_TRUE(contains(r.output, "Ed25519")) << r.output;
  EXPECT_EQ(tree(out), (std::vector<std::string>{"node.crt", "node.key"}));
}

TEST(BarrelGenCert, SecondRunKeepsTheFilesAndForceReplacesThem) {
  TempDir dir;
  const std::string out = dir / "quic";
  const std::vector<std::string> args = {"--out-dir", out, "--cn", "a@h"};
  ASSERT_EQ(run_tool(dir, args).exit_code, 0);
  const std::string cert = slurp(out + "/node.crt");
  const std::string key = slurp(out + "/node.key");
  const auto cert_time = mtime_of(out + "/node.crt");
  const auto key_time = mtime_of(out + "/node.key");

  ToolRun again = run_tool(dir, args);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(contains(again.output, "kept")) << again.output;
  EXPECT_EQ(slurp(out + "/node.crt"), cert);
  EXPECT_EQ(slurp(out + "/node.key"), key);
  EXPECT_TRUE(same_time(mtime_of(out + "/node.crt"), cert_time));
  EXPECT_TRUE(same_time(mtime_of(out + "/node.key"), key_time));

  std::vector<std::string> forced = args;
  forced.push_back("--force");
  ToolRun f = run_tool(dir, forced);
  ASSERT_EQ(f.exit_code, 0) << f.output;
  EXPECT_NE(slurp(out + "/node.crt"), cert);
  EXPECT_NE(slurp(out + "/node.key"), key);
  EXPECT_TRUE(check_tls_pair({slurp(out + "/node.crt"), slurp(out + "/node.key")}).is_ok());
  EXPECT_EQ(mode_of(out + "/node.key"), 0600);
}

TEST(BarrelGenCert, MismatchedOrLoneKeyIsRefusedWithoutForce) {
  TempDir dir;
  const std::string out = dir / "quic";
  const std::vector<std::string> args = {"--out-dir", out, "--cn", "a@h"};
  ASSERT_EQ(run_tool(dir, args).exit_code, 0);
  auto other = generate_self_signed({.common_name = "a@h"});
  ASSERT_TRUE(other.is_ok());
  spit(out + "/node.crt", other->cert_pem);
  const std::string key = slurp(out + "/node.key");
  ToolRun r = run_tool(dir, args);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "--force")) << r.output;
  EXPECT_EQ(slurp(out + "/node.key"), key);

  ASSERT_EQ(::unlink((out + "/node.crt").c_str()), 0);
  ToolRun lone = run_tool(dir, args);
  EXPECT_EQ(lone.exit_code, 1) << lone.output;
  EXPECT_EQ(slurp(out + "/node.key"), key);

  ASSERT_EQ(::chmod((out + "/node.key").c_str(), 0644), 0);
  spit(out + "/node.crt", other->cert_pem);
  ToolRun open_key = run_tool(dir, args);
  EXPECT_EQ(open_key.exit_code, 1) << open_key.output;
  EXPECT_TRUE(contains(open_key.output, "chmod 600")) << open_key.output;
}

TEST(BarrelGenCert, RsaKeyBits2048) {
  TempDir dir;
  const std::string out = dir / "quic";
  ToolRun r = run_tool(dir, {"--out-dir=" + out, "--cn=a@h", "--key-bits=2048"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "RSA-2048")) << r.output;
  const std::string key = slurp(out + "/node.key");
  EXPECT_TRUE(check_tls_pair({slurp(out + "/node.crt"), key}).is_ok());
  EXPECT_GT(key.size(), 1000u);  // an RSA-2048 PKCS#8 PEM is ~1.7 KB, Ed25519 ~120 B
}

TEST(BarrelGenCert, BadArgumentsExit2WithAMessage) {
  TempDir dir;
  const std::string out = dir / "quic";
  struct Case {
    std::vector<std::string> args;
    std::string_view says;
  };
  const Case cases[] = {
      {{"--out-dir", out}, "--cn NAME is required"},
      {{"--cn", "a@h"}, "--out-dir DIR is required"},
      {{"--out-dir", out, "--cn", "a@h", "--days", "0"}, "--days"},
      {{"--out-dir", out, "--cn", "a@h", "--days", "12x"}, "--days"},
      {{"--out-dir", out, "--cn", "a@h", "--key-bits", "1024"}, "--key-bits"},
      {{"--out-dir", out, "--cn"}, "--cn needs a value"},
      {{"--out-dir", out, "--cn", "a@h", "--bogus"}, "unknown option --bogus"},
  };
  for (const Case& c : cases) {
    ToolRun r = run_tool(dir, c.args);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_TRUE(contains(r.output, c.says)) << r.output;
  }
  EXPECT_FALSE(std::filesystem::exists(out));  // nothing written
  ToolRun help = run_tool(dir, {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.output, "--key-bits N")) << help.output;
}

}  // namespace
}  // namespace barrel::transport
