#include "pipeline/model_config_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vfi::pipeline {
namespace {

using nlohmann::json;

class SectionParser {
public:
    SectionParser(const std::string& source, const std::string& prefix) : m_source(source), m_prefix(prefix) {}

    Result<model::TlbvfiConfig> parse(const json& j) {
        model::TlbvfiConfig c;
        if (!j.is_object()) return fail("", "expected an object");
        for (const char* part : {"vqgan", "bb", "unet"})
            if (j.contains(part) && !j[part].is_object()) return fail(part, "expected an object");
        const json vq = j.value("vqgan", json::object());
        const json dd = vq.value("ddconfig", json::object());
        const json bb = j.value("bb", json::object());
        const json un = j.value("unet", json::object());
        VFI_TRY(posInt(vq, "vqgan.", "embed_dim", c.vqgan.embedDim));
        VFI_TRY(posInt(vq, "vqgan.", "n_embed", c.vqgan.nEmbed));
        const std::string d = "vqgan.ddconfig.";
        VFI_TRY(posInt(dd, d, "z_channels", c.vqgan.zChannels));
        VFI_TRY(posInt(dd, d, "in_channels", c.vqgan.inChannels));
        VFI_TRY(posInt(dd, d, "out_ch", c.vqgan.outCh));
        VFI_TRY(posInt(dd, d, "ch", c.vqgan.ch));
        VFI_TRY(intList(dd, d, "ch_mult", c.vqgan.chMult));
        VFI_TRY(posInt(dd, d, "num_res_blocks", c.vqgan.numResBlocks));
        VFI_TRY(intList(dd, d, "attn_resolutions", c.vqgan.attnResolutions));
        VFI_TRY(posInt(dd, d, "resolution", c.vqgan.resolution));
        VFI_TRY(fixed(dd, d, "double_z", json(false)));
        VFI_TRY(fixed(dd, d, "attn_type", json("max")));
        VFI_TRY(fixed(dd, d, "cond_type", json("max_cross_attn")));
        VFI_TRY(posInt(bb, "bb.", "num_timesteps", c.bb.numTimesteps));
        VFI_TRY(posInt(bb, "bb.", "sample_step", c.bb.sampleSteps));
        if (c.bb.sampleSteps < 3) return fail("bb.sample_step", "must be at least 3");
        VFI_TRY(number(bb, "bb.", "eta", c.bb.eta));
        VFI_TRY(number(bb, "bb.", "max_var", c.bb.maxVar));
        VFI_TRY(fixed(bb, "bb.", "mt_type", json("linear")));
        VFI_TRY(fixed(bb, "bb.", "objective", json("BB")));
        VFI_TRY(fixed(bb, "bb.", "skip_sample", json(true)));
        VFI_TRY(fixed(bb, "bb.", "sample_type", json("linear")));
        VFI_TRY(posInt(un, "unet.", "in_channels", c.unet.inChannels));
        VFI_TRY(posInt(un, "unet.", "model_channels", c.unet.modelChannels));
        VFI_TRY(posInt(un, "unet.", "out_channels", c.unet.outChannels));
        VFI_TRY(posInt(un, "unet.", "num_res_blocks", c.unet.numResBlocks));
        VFI_TRY(intList(un, "unet.", "attention_resolutions", c.unet.attentionResolutions));
        VFI_TRY(intList(un, "unet.", "channel_mult", c.unet.channelMult));
        VFI_TRY(posInt(un, "unet.", "num_heads", c.unet.numHeads));
        VFI_TRY(fixed(un, "unet.", "dims", json(3)));
        VFI_TRY(fixed(un, "unet.", "use_scale_shift_norm", json(true)));
        VFI_TRY(fixed(un, "unet.", "resblock_updown", json(true)));
        VFI_TRY(fixed(un, "unet.", "use_max_self_attn", json(false)));
        if (c.vqgan.ch % 4 != 0) return fail("vqgan.ddconfig.ch", "must be a multiple of 4 (GroupNorm with 4 groups)");
        if (c.unet.modelChannels % 32 != 0)
            return fail("unet.model_channels", "must be a multiple of 32 (GroupNorm with 32 groups)");
        if (c.vqgan.chMult.empty()) return fail("vqgan.ddconfig.ch_mult", "must not be empty");
        return c;
    }

private:
    Error fail(const std::string& field, const std::string& what) const {
        const std::string where = m_prefix + field;
        return makeError(ErrorCode::InvalidArgument,
                         "Model config " + m_source + ": " + (where.empty() ? "" : where + ": ") + what + ".",
                         {m_source, where + ": " + what});
    }
    Status posInt(const json& o, const std::string& p, const char* key, int& out) const {
        if (!o.contains(key)) return {};
        const json& v = o[key];
        if (!v.is_number_integer() || v.get<int64_t>() <= 0 || v.get<int64_t>() > (1 << 24))
            return fail(p + key, "expected a positive integer, got " + v.dump());
        out = v.get<int>();
        return {};
    }
    Status number(const json& o, const std::string& p, const char* key, double& out) const {
        if (!o.contains(key)) return {};
        if (!o[key].is_number()) return fail(p + key, "expected a number, got " + o[key].dump());
        out = o[key].get<double>();
        return {};
    }
    Status intList(const json& o, const std::string& p, const char* key, std::vector<int>& out) const {
        if (!o.contains(key)) return {};
        const json& v = o[key];
        if (!v.is_array()) return fail(p + key, "expected a list of positive integers, got " + v.dump());
        std::vector<int> r;
        for (const json& x : v) {
            if (!x.is_number_integer() || x.get<int64_t>() <= 0)
                return fail(p + key, "expected a list of positive integers, got " + v.dump());
            r.push_back(x.get<int>());
        }
        out = std::move(r);
        return {};
    }
    Status fixed(const json& o, const std::string& p, const char* key, const json& expected) const {
        if (!o.contains(key) || o[key] == expected) return {};
        return fail(p + key, "only " + expected.dump() + " is supported, got " + o[key].dump());
    }

    std::string m_source;
    std::string m_prefix;
};

bool isBareSection(const json& j) { return j.is_object() && (j.contains("vqgan") || j.contains("unet") || j.contains("bb")); }

}  // namespace

Result<std::vector<NamedModelConfig>> parseModelConfigSections(const std::string& text, const std::string& source) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {
        return makeError(ErrorCode::InvalidArgument, "Model config " + source + " is not valid JSON: " + e.what(),
                         {source, e.what()});
    }
    std::vector<NamedModelConfig> out;
    if (isBareSection(root)) {
        VFI_ASSIGN_OR_RETURN(auto c, SectionParser(source, "").parse(root));
        out.push_back({"", std::move(c)});
        return out;
    }
    if (root.is_object())
        for (auto it = root.begin(); it != root.end(); ++it) {
            if (!isBareSection(it.value())) continue;
            VFI_ASSIGN_OR_RETURN(auto c, SectionParser(source, it.key() + ".").parse(it.value()));
            out.push_back({it.key(), std::move(c)});
        }
    if (out.empty())
        return makeError(ErrorCode::InvalidArgument,
                         "Model config " + source + " has no configuration section (an object with vqgan/bb/unet).",
                         {source, "no configuration section"});
    return out;
}

Result<std::vector<NamedModelConfig>> loadModelConfigFile(const std::string& pathWithSection) {
    std::string path = pathWithSection, section;
    if (const auto hash = pathWithSection.rfind('#'); hash != std::string::npos) {
        path = pathWithSection.substr(0, hash);
        section = pathWithSection.substr(hash + 1);
    }
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return makeError(ErrorCode::InputNotFound, "Model config " + path + " does not exist.", {path});
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in) return makeError(ErrorCode::Io, "Cannot read model config " + path + ".", {path, "read failed"});
    VFI_ASSIGN_OR_RETURN(auto sections, parseModelConfigSections(ss.str(), path));
    // nlohmann::json orders object keys alphabetically; the official configuration goes first so
    // that an ambiguous match prefers it.
    std::stable_partition(sections.begin(), sections.end(), [](const auto& s) { return s.name == "official"; });
    if (section.empty()) return sections;
    std::string names;
    for (auto& s : sections) {
        if (s.name == section) return std::vector<NamedModelConfig>{std::move(s)};
        names += (names.empty() ? "" : ", ") + s.name;
    }
    return makeError(ErrorCode::InvalidArgument,
                     "Model config " + path + " has no section '" + section + "' (available: " + names + ").",
                     {path, section});
}

Result<model::TlbvfiConfig> loadModelConfig(const std::string& pathWithSection) {
    VFI_ASSIGN_OR_RETURN(auto sections, loadModelConfigFile(pathWithSection));
    if (sections.size() != 1) {
        std::string names;
        for (const auto& s : sections) names += (names.empty() ? "" : ", ") + s.name;
        return makeError(ErrorCode::InvalidArgument,
                         "Model config " + pathWithSection + " has several sections (" + names +
                             "); choose one with PATH#SECTION.",
                         {pathWithSection, names});
    }
    return std::move(sections.front().config);
}

}  // namespace vfi::pipeline
