// Checkpoint reader, strict loader and .npy reader: the golden tiny.pth (official file layout) and
// crafted bad files (not a zip, truncated, unknown Python global, empty, missing).
// LibTorch before Qt: Qt's `slots` macro breaks ATen headers.
#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <QtTest>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "model/checkpoint_reader.h"
#include "model/npy.h"
#include "golden_support.h"

using namespace vfi;
using namespace vfi::model;
namespace fs = std::filesystem;

namespace {

using vfi::test::goldenDir;

// Minimal pickle writer for crafted checkpoints.
struct Pk {
    std::string b = "\x80\x02";
    Pk& op(char c) { b += c; return *this; }
    Pk& str(const std::string& s) {
        b += 'X';
        const uint32_t n = static_cast<uint32_t>(s.size());
        b.append(reinterpret_cast<const char*>(&n), 4);
        b += s;
        return *this;
    }
    Pk& i32(int32_t v) { b += 'J'; b.append(reinterpret_cast<const char*>(&v), 4); return *this; }
    Pk& global(const std::string& m, const std::string& n) { b += 'c' + m + '\n' + n + '\n'; return *this; }
    // _rebuild_tensor_v2(storage key, offset, sizes, strides) of a FloatStorage with `numel` elements.
    Pk& tensor(const std::string& key, int numel, std::vector<int> sizes, std::vector<int> strides) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").i32(numel).op('t').op('Q');
        i32(0).op('(');
        for (int s : sizes) i32(s);
        op('t').op('(');
        for (int s : strides) i32(s);
        op('t').op('\x89').global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
        return *this;
    }
};

void writeZip(const std::string& path, const std::string& pkl,
              const std::vector<std::pair<std::string, std::vector<float>>>& records = {}) {
    caffe2::serialize::PyTorchStreamWriter w(path);
    w.writeRecord("data.pkl", pkl.data(), pkl.size());
    for (const auto& [name, data] : records) w.writeRecord(name, data.data(), data.size() * sizeof(float));
    w.writeEndOfFile();
}

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A module whose PyTorch state_dict order differs from "children first": own param, own buffer, child.
struct TinyNet : torch::nn::Module {
    TinyNet() {
        lin = register_module("lin", torch::nn::Linear(3, 2));
        p = register_parameter("p", torch::zeros({4}));
        bn = register_module("bn", torch::nn::BatchNorm1d(2));
        buf = register_buffer("buf", torch::zeros({2}));
    }
    torch::nn::Linear lin{nullptr};
    torch::nn::BatchNorm1d bn{nullptr};
    torch::Tensor p, buf;
};

NamedTensors tinyNetEntries() {
    return {{"p", torch::full({4}, 1.0)},          {"buf", torch::full({2}, 2.0)},
            {"lin.weight", torch::full({2, 3}, 3.0)}, {"lin.bias", torch::full({2}, 4.0)},
            {"bn.weight", torch::full({2}, 5.0)},  {"bn.bias", torch::full({2}, 6.0)},
            {"bn.running_mean", torch::full({2}, 7.0)}, {"bn.running_var", torch::full({2}, 8.0)},
            {"bn.num_batches_tracked", torch::tensor(9, torch::kLong)}};
}

}  // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::string tmp(const char* name) { return (fs::path(m_tmp.path().toStdString()) / name).string(); }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        QVERIFY2(fs::exists(goldenDir() + "/tiny.pth"), ("golden data missing in " + goldenDir()).c_str());
    }

    void readsTinyModelDict() {
        auto r = readCheckpoint(goldenDir() + "/tiny.pth", {.weights = WeightSet::Model, .readEmaDict = true});
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        const CheckpointData& c = *r;
        QCOMPARE(c.model.size(), size_t{1776});
        QCOMPARE(c.ema.size(), size_t{214});
        QVERIFY(!c.bareStateDict);
        QCOMPARE(c.step.value_or(-1), int64_t{1000});
        QCOMPARE(c.epoch.value_or(-1), int64_t{1});
        QCOMPARE(c.topLevelKeys, (std::vector<std::string>{"step", "model", "epoch", "ema"}));
        QCOMPARE(c.model.front().first, std::string("m_t"));
        QCOMPARE(c.model.front().second.sizes().vec(), std::vector<int64_t>{1000});
        QVERIFY(std::abs(c.model.front().second[0].item<float>() - 0.001f) < 1e-7f);
        std::map<std::string, torch::Tensor> byName(c.model.begin(), c.model.end());
        int aliases = 0, counters = 0;
        for (const auto& [k, t] : c.model) {
            if (k.rfind("cond_stage_model.", 0) == 0) {
                const torch::Tensor& v = byName.at("vqgan." + k.substr(17));
                QVERIFY2(t.storage().is_alias_of(v.storage()), k.c_str());
                ++aliases;
            }
            if (k.size() > 19 && k.compare(k.size() - 19, 19, "num_batches_tracked") == 0) {
                QCOMPARE(t.scalar_type(), torch::kLong);
                ++counters;
            }
        }
        QCOMPARE(aliases, 778);
        QCOMPARE(counters, 30);  // 15 BatchNorms, each also under cond_stage_model.
        QCOMPARE(byName.at("vqgan.quantize.embedding.weight").sizes().vec(), (std::vector<int64_t>{8192, 3}));
        // The EMA dict of tiny.pth shares the model's UNet storages (README).
        QVERIFY(c.ema.front().second.storage().is_alias_of(byName.at(c.ema.front().first).storage()));
        QVERIFY(c.contentHash != 0);
        QVERIFY(c.storageBytesRead > 30'000'000 && c.storageBytesRead < 37'000'000);
    }

    void emaOptionSubstitutesUnet() {
        auto r = readCheckpoint(goldenDir() + "/tiny.pth", {.weights = WeightSet::Ema});
        QVERIFY(r.ok());
        QVERIFY(r->emaApplied);
        QCOMPARE(r->model.size(), size_t{1776});
        QCOMPARE(r->ema.size(), size_t{214});
        std::map<std::string, torch::Tensor> byName(r->model.begin(), r->model.end());
        for (const auto& [k, t] : r->ema)
            QVERIFY(byName.at(k).storage().is_alias_of(t.storage()) && byName.at(k).storage_offset() == t.storage_offset());
    }

    void readsBareStateDict() {
        Pk p;
        p.op('}').op('(').str("w").tensor("0", 6, {2, 3}, {3, 1}).str("v").tensor("0", 6, {2}, {1}).op('u').op('.');
        const std::string path = tmp("bare.pth");
        writeZip(path, p.b, {{"data/0", {1, 2, 3, 4, 5, 6}}});
        auto r = readCheckpoint(path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QVERIFY(r->bareStateDict);
        QCOMPARE(r->model.size(), size_t{2});
        QVERIFY(torch::equal(r->model[0].second, torch::arange(1, 7, torch::kFloat).view({2, 3})));
        QVERIFY(r->model[1].second.storage().is_alias_of(r->model[0].second.storage()));
    }

    void errorMissing() {
        auto r = readCheckpoint(tmp("nope.pth"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::CheckpointMissing);
        QVERIFY(r.error().message.find("nope.pth") != std::string::npos);
    }

    void errorEmpty() {
        writeBytes(tmp("empty.pth"), "");
        auto r = readCheckpoint(tmp("empty.pth"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::CheckpointInvalid);
        QVERIFY2(r.error().message.find("empty") != std::string::npos, r.error().message.c_str());
    }

    void errorNotZip() {
        writeBytes(tmp("text.pth"), "this is a text file, not a checkpoint\n");
        auto r = readCheckpoint(tmp("text.pth"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::CheckpointInvalid);
        QVERIFY2(r.error().message.find("not a zip") != std::string::npos, r.error().message.c_str());
    }

    void errorTruncated() {
        std::ifstream in(goldenDir() + "/tiny.pth", std::ios::binary);
        std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        writeBytes(tmp("half.pth"), all.substr(0, all.size() / 2));
        auto r = readCheckpoint(tmp("half.pth"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::CheckpointInvalid);
        QVERIFY2(r.error().message.find("truncated") != std::string::npos, r.error().message.c_str());
    }

    // fuzz_checkpoint: LibTorch allocates a record's declared size before reading it, so a small file
    // declaring a 4 GB data.pkl ran out of memory. The directory is checked against the file first.
    void declaredRecordSizesBeyondTheFileAreRefused() {
        std::ifstream in(goldenDir() + "/tiny.pth", std::ios::binary);
        const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        size_t entry = std::string::npos;
        for (size_t p = all.find("PK\x01\x02"); p != std::string::npos; p = all.find("PK\x01\x02", p + 1)) {
            const size_t nameLen = static_cast<unsigned char>(all[p + 28]) | static_cast<unsigned char>(all[p + 29]) << 8;
            const std::string name = all.substr(p + 46, nameLen);
            if (name.size() >= 8 && name.compare(name.size() - 8, 8, "data.pkl") == 0) entry = p;
        }
        QVERIFY2(entry != std::string::npos, "no directory entry for data.pkl in tiny.pth");
        std::string bomb = all;
        const char huge[4] = {'\xf9', '\xff', '\xff', '\xff'};   // 4294967289 bytes uncompressed
        bomb.replace(entry + 24, 4, huge, 4);
        writeBytes(tmp("bomb.pth"), bomb);
        auto r = readCheckpoint(tmp("bomb.pth"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::CheckpointInvalid);
        QVERIFY2(r.error().message.find("data.pkl' declares 4294967289 bytes") != std::string::npos, r.error().message.c_str());

        std::string outside = all;
        const char far[4] = {'\x00', '\x00', '\x00', '\x7f'};   // local header offset 2 GB into a small file
        outside.replace(entry + 42, 4, far, 4);
        writeBytes(tmp("outside.pth"), outside);
        r = readCheckpoint(tmp("outside.pth"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("lies outside the file") != std::string::npos, r.error().message.c_str());
    }

    void errorUnknownGlobal() {
        Pk p;
        p.global("pytorch_lightning.callbacks.model_checkpoint", "ModelCheckpoint").op(')').op('R').op('.');
        writeZip(tmp("lightning.ckpt"), p.b);
        auto r = readCheckpoint(tmp("lightning.ckpt"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::CheckpointInvalid);
        QVERIFY2(r.error().message.find("pytorch_lightning.callbacks.model_checkpoint.ModelCheckpoint") !=
                     std::string::npos, r.error().message.c_str());
    }

    void errorUnknownOpcode() {
        Pk p;
        p.op('}').op('I').b += "12\n";   // text INT (protocol 0) is not written by torch.save
        p.op('.');
        writeZip(tmp("opcode.pth"), p.b);
        auto r = readCheckpoint(tmp("opcode.pth"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::CheckpointInvalid);
        QVERIFY2(r.error().message.find("opcode 0x49") != std::string::npos, r.error().message.c_str());
    }

    void errorMissingStorage() {
        Pk p;
        p.op('}').str("w").tensor("7", 6, {6}, {1}).op('s').op('.');
        writeZip(tmp("nostorage.pth"), p.b);
        auto r = readCheckpoint(tmp("nostorage.pth"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("data/7") != std::string::npos, r.error().message.c_str());
    }

    void stateDictOrderFollowsPyTorch() {
        TinyNet net;
        std::vector<std::string> keys;
        for (const auto& [k, t] : stateDictEntries(net)) keys.push_back(k);
        std::vector<std::string> expected;
        for (const auto& [k, t] : tinyNetEntries()) expected.push_back(k);
        QCOMPARE(keys, expected);
    }

    void strictLoadCopiesEverything() {
        TinyNet net;
        NamedTensors e = tinyNetEntries();
        e.emplace_back("cond_stage_model.x", e[2].second);   // an alias is skipped after verification
        LoadOptions o;
        o.aliasPrefix = "cond_stage_model.";
        o.aliasTarget = "lin.";
        e.back().first = "cond_stage_model.weight";
        QVERIFY(loadStateDict(net, e, o).ok());
        QCOMPARE(net.lin->weight[1][2].item<float>(), 3.0f);
        QCOMPARE(net.bn->num_batches_tracked.item<int64_t>(), int64_t{9});
        QCOMPARE(net.buf[0].item<float>(), 2.0f);
    }

    void strictLoadRejectsWithoutTouching() {
        TinyNet net;
        const float before = net.lin->weight[0][0].item<float>();
        NamedTensors e = tinyNetEntries();
        e.erase(e.begin() + 3);                        // lin.bias missing
        e.emplace_back("extra.weight", torch::zeros({1}));
        e[0].second = torch::zeros({5});               // p mis-shaped
        auto st = loadStateDict(net, e);
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, ErrorCode::CheckpointInvalid);
        const std::string& m = st.error().message;
        QVERIFY2(m.find("missing keys: lin.bias") != std::string::npos, m.c_str());
        QVERIFY2(m.find("unexpected keys: extra.weight") != std::string::npos, m.c_str());
        QVERIFY2(m.find("p (checkpoint [5]") != std::string::npos, m.c_str());
        QCOMPARE(net.lin->weight[0][0].item<float>(), before);
        QCOMPARE(net.buf[0].item<float>(), 0.0f);
    }

    void strictLoadRejectsDifferingAlias() {
        TinyNet net;
        NamedTensors e = tinyNetEntries();
        e.emplace_back("cond_stage_model.weight", torch::zeros({2, 3}));
        LoadOptions o;
        o.aliasTarget = "lin.";
        auto st = loadStateDict(net, e, o);
        QVERIFY(!st.ok());
        QVERIFY2(st.error().message.find("cond_stage_model.weight") != std::string::npos, st.error().message.c_str());
    }

    void npyRoundTripAndGolden() {
        const torch::Tensor t = torch::arange(24, torch::kFloat).view({2, 3, 4});
        QVERIFY(writeNpy(tmp("a.npy"), t).ok());
        auto r = readNpy(tmp("a.npy"));
        QVERIFY(r.ok());
        QVERIFY(torch::equal(*r, t));
        auto noise = readNpy(goldenDir() + "/case-a/noise.npy");
        QVERIFY2(noise.ok(), noise.ok() ? "" : noise.error().message.c_str());
        QCOMPARE(noise->sizes().vec(), (std::vector<int64_t>{9, 1, 3, 3, 16, 16}));
        auto idx = readNpy(goldenDir() + "/case-a/vq_indices.npy");
        QVERIFY(idx.ok());
        QCOMPARE(idx->scalar_type(), torch::kLong);
        QVERIFY(idx->min().item<int64_t>() >= 0 && idx->max().item<int64_t>() < 8192);
        writeBytes(tmp("bad.npy"), "nonsense");
        auto bad = readNpy(tmp("bad.npy"));
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("bad.npy") != std::string::npos);
    }
    // Sizes a header declares are checked against the file before anything is allocated (fuzz_npy:
    // a version-3 header length of 4.28 GB in a 188-byte file made the reader allocate it).
    void npyDeclaredSizesBeyondTheFileAreRefused() {
        auto headerOnly = [](char version, const std::string& dict) {
            std::string h = dict;
            h.append((64 - (12 + h.size() + 1) % 64) % 64, ' ');
            h += '\n';
            std::string f = std::string("\x93NUMPY", 6) + version + '\0';
            const uint32_t n = static_cast<uint32_t>(h.size());
            f += std::string{static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff), static_cast<char>((n >> 16) & 0xff),
                             static_cast<char>(n >> 24)};
            return f + h;
        };
        std::string hugeHeader = headerOnly(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }");
        hugeHeader[8] = 0x76;
        hugeHeader[11] = static_cast<char>(0xff);   // header length 0xff....76: far beyond the file
        writeBytes(tmp("hugeheader.npy"), hugeHeader + std::string(8, '\0'));
        auto r1 = readNpy(tmp("hugeheader.npy"));
        QVERIFY(!r1.ok());
        QVERIFY2(r1.error().message.find("truncated header") != std::string::npos, r1.error().message.c_str());

        // A shape of 2^40 floats with 8 bytes of data: refused before the tensor is allocated.
        writeBytes(tmp("hugeshape.npy"),
                   headerOnly(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }") + std::string(8, '\0'));
        auto r2 = readNpy(tmp("hugeshape.npy"));
        QVERIFY(!r2.ok());
        QVERIFY2(r2.error().message.find("shorter than its header says") != std::string::npos, r2.error().message.c_str());

        writeBytes(tmp("negative.npy"), headerOnly(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }"));
        auto r3 = readNpy(tmp("negative.npy"));
        QVERIFY(!r3.ok());
        QVERIFY2(r3.error().message.find("malformed shape") != std::string::npos, r3.error().message.c_str());

        // The exact size still reads.
        writeBytes(tmp("exact.npy"), headerOnly(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }") + std::string(8, '\0'));
        auto r4 = readNpy(tmp("exact.npy"));
        QVERIFY2(r4.ok(), r4.ok() ? "" : r4.error().message.c_str());
        QCOMPARE(r4->numel(), int64_t{2});
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
