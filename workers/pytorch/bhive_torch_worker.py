#!/usr/bin/env python3
"""Train and predict for bhive with PyTorch, speaking the external-trainer protocol.

bhive starts this script as a child process. Requests arrive on stdin and replies leave on
stdout, both as one line of JSON followed by the raw bytes of the payloads that the line
lists (little-endian float32 or int32, in order). stderr is this worker's log. The protocol
is described in docs/external-trainer.md; this worker implements protocol version 1.

Architectures: ``deepjet`` (the network of src/models/deepjet.ts) and ``part`` (a compact
Particle Transformer with optional pair features). Tested with Debian's python3-torch 1.13.
"""

import json
import math
import os
import sys

# Debian's torch 1.13 calls OpenBLAS from inside its own OpenMP threads, so a multi-threaded
# OpenBLAS oversubscribes the cores. A DeepJet step on 128 jets took 2-4 s with the
# default and 0.12 s with one OpenBLAS thread (2-core machine). Set before numpy and torch load.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import torch
from torch import nn

PROTOCOL_VERSION = 1
DTYPES = {"float32": np.float32, "int32": np.int32}


class RequestError(Exception):
    """A request that this worker rejects; the message goes back to bhive."""


def log(text):
    print(f"bhive_torch_worker: {text}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- framing


def read_exactly(stream, size):
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            raise EOFError(f"stdin closed after {len(data)} of {size} payload bytes")
        data.extend(chunk)
    return bytes(data)


def read_message(stream):
    """Read one request: the JSON line and its payloads as numpy arrays; None at end of input."""
    line = stream.readline()
    if not line:
        return None
    message = json.loads(line)
    payloads = {}
    for entry in message.get("payloads", []):
        dtype = DTYPES[entry["dtype"]]
        count = int(np.prod(entry["shape"], dtype=np.int64))
        data = read_exactly(stream, count * 4)
        payloads[entry["name"]] = np.frombuffer(data, dtype=dtype).reshape(entry["shape"])
    return message, payloads


def write_message(stream, message, payloads=()):
    """Write a reply; `payloads` is a sequence of (name, numpy array)."""
    arrays = [(name, np.ascontiguousarray(array)) for name, array in payloads]
    if arrays:
        message["payloads"] = [
            {"name": name, "dtype": str(array.dtype), "shape": list(array.shape)} for name, array in arrays
        ]
    stream.write(json.dumps(message).encode("utf-8") + b"\n")
    for _, array in arrays:
        stream.write(array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes())
    stream.flush()


# --------------------------------------------------------------------------- options


class Options:
    """Typed access to the model options, rejecting unknown keys like bhive's OptionReader."""

    def __init__(self, model, values):
        self.model = model
        self.values = dict(values)
        self.used = set()

    def get(self, key, default, kind):
        self.used.add(key)
        value = self.values.get(key, default)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise RequestError(f"invalid option '{key}' for model '{self.model}': found {json.dumps(value)}")
        return value

    def reject_unknown(self):
        unknown = sorted(set(self.values) - self.used)
        if unknown:
            raise RequestError(
                f"unknown option '{unknown[0]}' for model '{self.model}'; known options: {', '.join(sorted(self.used))}"
            )


# --------------------------------------------------------------------------- layers


class ClippedBatchNorm(nn.Module):
    """Batch normalisation over the last axis with the normalised values clipped to ±clip.

    Matches src/models/tfjs/layers.ts: epsilon 1e-3, moving averages with weight 0.9 on the
    old value (PyTorch momentum 0.1), statistics over every axis but the last.
    """

    def __init__(self, size, clip):
        super().__init__()
        self.norm = nn.BatchNorm1d(size, eps=1e-3, momentum=0.1, affine=False)
        self.gamma = nn.Parameter(torch.ones(size))
        self.beta = nn.Parameter(torch.zeros(size))
        self.clip = clip

    def forward(self, x):
        shape = x.shape
        y = self.norm(x.reshape(-1, shape[-1])).reshape(shape)
        return torch.clamp(y, -self.clip, self.clip) * self.gamma + self.beta


def dense_stack(sizes, size, dropout):
    layers = []
    for units in sizes:
        layers += [nn.Linear(size, units), nn.ReLU(), nn.Dropout(dropout)]
        size = units
    return nn.Sequential(*layers), size


class DeepJet(nn.Module):
    """DeepJet: per-candidate dense stacks (the 1x1 convolutions), backward LSTMs, dense head."""

    default_groups = [([64, 32, 32, 8], 150), ([32, 16, 4], 50), ([64, 32, 32, 8], 50)]

    def __init__(self, layout, options):
        super().__init__()
        head_sizes = options.get("denseLayers", [200, 100, 100, 100, 100, 100, 100, 100], list)
        dropout = float(options.get("dropout", 0.1, (int, float)))
        clip = float(options.get("inputClip", 10, (int, float)))
        group_options = options.get("groups", {}, dict)
        self.group_names = [g["name"] for g in layout["groups"]]
        self.global_norm = ClippedBatchNorm(layout["numGlobalFeatures"], clip)
        self.norms = nn.ModuleList()
        self.stacks = nn.ModuleList()
        self.lstms = nn.ModuleList()
        size = layout["numGlobalFeatures"]
        for position, group in enumerate(layout["groups"]):
            if group["name"] in group_options:
                dense, units = group_options[group["name"]]["dense"], group_options[group["name"]]["lstmUnits"]
            elif position < len(self.default_groups):
                dense, units = self.default_groups[position]
            else:
                raise RequestError(f"model 'deepjet' needs option 'groups.{group['name']}' with dense and lstmUnits")
            features = len(group["features"])
            self.norms.append(ClippedBatchNorm(features, clip))
            stack, stack_size = dense_stack(dense, features, dropout)
            self.stacks.append(stack)
            self.lstms.append(nn.LSTM(stack_size, units, batch_first=True))
            size += units
        self.head, size = dense_stack(head_sizes, size, dropout)
        self.output = nn.Linear(size, len(layout["classes"]))
        self.reset_like_bhive()

    def reset_like_bhive(self):
        """Initialise as bhive's tfjs layers do: Glorot-uniform kernels, zero biases, forget-gate bias 1."""
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.xavier_uniform_(module.weight)
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.LSTM):
                units = module.hidden_size
                nn.init.xavier_uniform_(module.weight_ih_l0)
                nn.init.xavier_uniform_(module.weight_hh_l0)
                nn.init.zeros_(module.bias_ih_l0)
                nn.init.zeros_(module.bias_hh_l0)
                with torch.no_grad():
                    # PyTorch's gate order is input, forget, cell, output.
                    module.bias_ih_l0[units : 2 * units] = 1.0

    def forward(self, inputs):
        features = [self.global_norm(inputs["global"])]
        for name, norm, stack, lstm in zip(self.group_names, self.norms, self.stacks, self.lstms):
            x = stack(norm(inputs[name]))
            # Read the candidates backwards, so the first (highest-ranked) one comes last.
            _, (hidden, _) = lstm(torch.flip(x, dims=[1]))
            features.append(hidden[-1])
        return self.output(self.head(torch.cat(features, dim=1)))


def pair_features(four_vectors, eps=1e-8):
    """Pairwise (ln kT, ln z, ln ΔR, ln m²) from [jets, candidates, 4] holding (pT, η, φ, E).

    Returns [jets, candidates, candidates, 4].
    """
    pt, eta, phi, energy = four_vectors.unbind(-1)
    px, py, pz = pt * torch.cos(phi), pt * torch.sin(phi), pt * torch.sinh(eta)
    pt_i, pt_j = pt.unsqueeze(2), pt.unsqueeze(1)
    delta_phi = torch.remainder(phi.unsqueeze(2) - phi.unsqueeze(1) + math.pi, 2 * math.pi) - math.pi
    delta_r = torch.sqrt((eta.unsqueeze(2) - eta.unsqueeze(1)) ** 2 + delta_phi**2)
    pt_min = torch.minimum(pt_i, pt_j)
    kt = pt_min * delta_r
    z = pt_min / (pt_i + pt_j + eps)
    e_sum = energy.unsqueeze(2) + energy.unsqueeze(1)
    p_sum2 = (px.unsqueeze(2) + px.unsqueeze(1)) ** 2 + (py.unsqueeze(2) + py.unsqueeze(1)) ** 2
    p_sum2 = p_sum2 + (pz.unsqueeze(2) + pz.unsqueeze(1)) ** 2
    m2 = torch.clamp(e_sum**2 - p_sum2, min=0)
    # Padded candidates have pT 0; the clamps also keep invalid inputs (negative pT) from giving NaN.
    kt, z = torch.clamp(kt, min=0), torch.clamp(z, min=0)
    return torch.stack([torch.log(kt + eps), torch.log(z + eps), torch.log(delta_r + eps), torch.log(m2 + eps)], -1)


class ParticleTransformer(nn.Module):
    """A compact Particle Transformer (Qu, Li, Qian 2022).

    Every candidate group gets its own input normalisation and token embedding; the tokens of
    all groups are concatenated. With the `pairFeatures` option, the pairwise features of one
    group's four-vectors are embedded into one attention bias per head (zero for other tokens).
    Padded candidates (all features 0) are masked as keys. Class-token attention blocks pool
    the tokens, and a linear layer gives one logit per class.
    """

    def __init__(self, layout, options):
        super().__init__()
        self.dim = options.get("embedDim", 64, int)
        self.heads = options.get("numHeads", 4, int)
        num_blocks = options.get("numBlocks", 3, int)
        num_class_blocks = options.get("numClassBlocks", 1, int)
        dropout = float(options.get("dropout", 0.1, (int, float)))
        clip = float(options.get("inputClip", 10, (int, float)))
        pair = options.get("pairFeatures", {}, dict)
        self.group_names = [g["name"] for g in layout["groups"]]
        self.global_norm = ClippedBatchNorm(layout["numGlobalFeatures"], clip)
        self.norms = nn.ModuleList(ClippedBatchNorm(len(g["features"]), clip) for g in layout["groups"])
        self.embeddings = nn.ModuleList(
            nn.Sequential(nn.Linear(len(g["features"]), self.dim), nn.GELU(), nn.Linear(self.dim, self.dim))
            for g in layout["groups"]
        )
        self.pair_group = None
        if pair:
            self.pair_group, self.pair_columns = self.find_pair_columns(layout, pair)
            self.pair_embedding = nn.Sequential(nn.Linear(4, 32), nn.GELU(), nn.Linear(32, self.heads))
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(self.dim, self.heads, 4 * self.dim, dropout, batch_first=True, norm_first=True)
            for _ in range(num_blocks)
        )
        self.class_token = nn.Parameter(torch.zeros(1, 1, self.dim))
        self.class_blocks = nn.ModuleList(
            nn.MultiheadAttention(self.dim, self.heads, dropout=dropout, batch_first=True) for _ in range(num_class_blocks)
        )
        self.class_norm = nn.LayerNorm(self.dim)
        self.output = nn.Linear(self.dim + layout["numGlobalFeatures"], len(layout["classes"]))

    @staticmethod
    def find_pair_columns(layout, pair):
        group = next((g for g in layout["groups"] if g["name"] == pair.get("group")), None)
        if group is None:
            raise RequestError(f"option 'pairFeatures.group' of model 'part' names no candidate group: {pair.get('group')}")
        columns = []
        for key in ("pt", "eta", "phi", "energy"):
            name = pair.get(key)
            if name not in group["features"]:
                raise RequestError(
                    f"option 'pairFeatures.{key}' of model 'part' must name a feature of group '{group['name']}'; found {name}"
                )
            columns.append(group["features"].index(name))
        return group["name"], columns

    def forward(self, inputs):
        tokens, masks, bias = [], [], None
        for name, norm, embedding in zip(self.group_names, self.norms, self.embeddings):
            x = inputs[name]
            masks.append((x != 0).any(-1))
            tokens.append(embedding(norm(x)))
        x = torch.cat(tokens, 1)
        valid = torch.cat(masks, 1)
        # A jet without any candidate would give NaN attention; let it attend to its first slot.
        valid[:, 0] = valid[:, 0] | ~valid.any(1)
        jets, length = valid.shape
        if self.pair_group is not None:
            start = sum(inputs[n].shape[1] for n in self.group_names[: self.group_names.index(self.pair_group)])
            group_values = inputs[self.pair_group][..., self.pair_columns]
            count = group_values.shape[1]
            embedded = self.pair_embedding(pair_features(group_values)).permute(0, 3, 1, 2)
            bias = x.new_zeros(jets, self.heads, length, length)
            bias[:, :, start : start + count, start : start + count] = embedded
        key_mask = x.new_zeros(jets, 1, 1, length).masked_fill(~valid[:, None, None, :], float("-inf"))
        attention_mask = key_mask if bias is None else key_mask + bias
        attention_mask = attention_mask.expand(jets, self.heads, length, length).reshape(jets * self.heads, length, length)
        for block in self.blocks:
            x = block(x, src_mask=attention_mask)
        cls = self.class_token.expand(jets, 1, self.dim)
        for attention in self.class_blocks:
            attended, _ = attention(cls, x, x, key_padding_mask=~valid)
            cls = cls + attended
        pooled = self.class_norm(cls[:, 0])
        return self.output(torch.cat([pooled, self.global_norm(inputs["global"])], 1))


ARCHITECTURES = {"deepjet": DeepJet, "part": ParticleTransformer}


# --------------------------------------------------------------------------- worker


class Worker:
    def __init__(self):
        self.model = None
        self.optimizer = None
        self.device = torch.device("cpu")

    def hello(self, message):
        if message.get("protocol") != PROTOCOL_VERSION:
            raise RequestError(f"this worker speaks protocol {PROTOCOL_VERSION}; bhive sent {message.get('protocol')}")
        architecture = message.get("architecture")
        if architecture not in ARCHITECTURES:
            raise RequestError(f"unknown architecture '{architecture}'; this worker has {', '.join(ARCHITECTURES)}")
        options = Options(architecture, message.get("options", {}))
        device = options.get("device", os.environ.get("BHIVE_TORCH_DEVICE", "cpu"), str)
        threads = options.get("threads", 0, int)
        if threads < 0:
            raise RequestError(f"option 'threads' must be 0 (torch's default) or a positive number of CPU threads; found {threads}")
        if device.startswith("cuda") and not torch.cuda.is_available():
            raise RequestError(f"device '{device}' requested, but torch {torch.__version__} sees no CUDA device")
        if threads > 0:
            torch.set_num_threads(threads)
        self.device = torch.device(device)
        self.layout = message["layout"]
        torch.manual_seed(int(message.get("seed", 1)))
        self.model = ARCHITECTURES[architecture](self.layout, options).to(self.device)
        options.reject_unknown()
        num_parameters = sum(p.numel() for p in self.model.parameters() if p.requires_grad)
        name = torch.cuda.get_device_name(self.device) if self.device.type == "cuda" else "cpu"
        threads_used = torch.get_num_threads()
        backend = f"torch {torch.__version__} ({name}, {threads_used} thread{'' if threads_used == 1 else 's'})"
        return {"type": "ready", "protocol": PROTOCOL_VERSION, "backend": backend, "numParameters": num_parameters}, []

    def tensors(self, payloads):
        inputs = {"global": torch.from_numpy(payloads["global"].copy()).to(self.device)}
        for group in self.layout["groups"]:
            inputs[group["name"]] = torch.from_numpy(payloads["group:" + group["name"]].copy()).to(self.device)
        return inputs

    def train_begin(self, message):
        decay, no_decay = [], []
        for name, parameter in self.model.named_parameters():
            # bhive's tfjs models decay kernels (dense and LSTM weights) but not biases or normalisation
            # scales. Selecting by name also decays the LayerNorm scales of ParT.
            (decay if name.endswith("weight") or "weight_" in name else no_decay).append(parameter)
        groups = [{"params": decay, "weight_decay": message["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}]
        name, rate = message["optimizer"], message["learningRate"]
        if name == "adamw":
            self.optimizer = torch.optim.AdamW(groups, lr=rate, eps=1e-8)
        elif name == "adam":
            self.optimizer = torch.optim.Adam(groups, lr=rate, eps=1e-8)
        elif name == "radam":
            self.optimizer = torch.optim.RAdam(groups, lr=rate, eps=1e-8)
        elif name == "sgd":
            self.optimizer = torch.optim.SGD(groups, lr=rate, momentum=message["momentum"])
        else:
            raise RequestError(f"unknown optimizer '{name}'; this worker has adamw, adam, radam, sgd")
        self.clip_norm = message.get("gradientClipNorm", 0)
        return {"type": "ok"}, []

    def train_batch(self, message, payloads):
        if self.optimizer is None:
            raise RequestError("train_batch before train_begin")
        torch.manual_seed(int(message["seed"]))
        self.model.train()
        for group in self.optimizer.param_groups:
            group["lr"] = message["learningRate"]
        inputs = self.tensors(payloads)
        labels = torch.from_numpy(payloads["label"].astype(np.int64)).to(self.device)
        logits = self.model(inputs)
        if "weight" in payloads:
            weights = torch.from_numpy(payloads["weight"].copy()).to(self.device)
            per_jet = nn.functional.cross_entropy(logits, labels, reduction="none")
            loss = (per_jet * weights).sum() / weights.sum()
        else:
            weights = torch.ones(labels.shape[0], device=self.device)
            loss = nn.functional.cross_entropy(logits, labels)
        self.optimizer.zero_grad()
        loss.backward()
        if self.clip_norm > 0:
            nn.utils.clip_grad_norm_(self.model.parameters(), self.clip_norm)
        self.optimizer.step()
        correct = ((logits.argmax(1) == labels).float() * weights).sum()
        return {"type": "batch_result", "loss": loss.item(), "correct": correct.item(), "weightSum": weights.sum().item()}, []

    def predict(self, message, payloads):
        self.model.eval()
        with torch.no_grad():
            log_probabilities = torch.log_softmax(self.model(self.tensors(payloads)), 1)
        return {"type": "predictions"}, [("logProbabilities", log_probabilities.cpu().numpy().astype(np.float32))]

    def save(self, message):
        directory = message["dir"]
        torch.save(self.model.state_dict(), os.path.join(directory, "weights.pt"))
        optimizer_files = []
        if message.get("optimizer") and self.optimizer is not None:
            torch.save(self.optimizer.state_dict(), os.path.join(directory, "optimizer.pt"))
            optimizer_files.append("optimizer.pt")
        return {"type": "saved", "files": ["weights.pt"], "optimizerFiles": optimizer_files}, []

    def load(self, message):
        directory = message["dir"]
        files = message.get("files") or ["weights.pt"]
        state = torch.load(os.path.join(directory, files[0]), map_location=self.device)
        self.model.load_state_dict(state)
        if message.get("optimizer"):
            if self.optimizer is None:
                raise RequestError("load with optimizer before train_begin")
            optimizer_files = message.get("optimizerFiles") or ["optimizer.pt"]
            self.optimizer.load_state_dict(torch.load(os.path.join(directory, optimizer_files[0]), map_location=self.device))
        return {"type": "loaded"}, []

    def handle(self, message, payloads):
        kind = message.get("type")
        if kind != "hello" and self.model is None:
            raise RequestError(f"'{kind}' before hello")
        if kind == "hello":
            return self.hello(message)
        if kind == "train_begin":
            return self.train_begin(message)
        if kind == "train_batch":
            return self.train_batch(message, payloads)
        if kind == "predict":
            return self.predict(message, payloads)
        if kind == "save":
            return self.save(message)
        if kind == "load":
            return self.load(message)
        raise RequestError(f"unknown request type '{kind}'")


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    # Anything printed by mistake must not corrupt the protocol stream.
    sys.stdout = sys.stderr
    worker = Worker()
    while True:
        request = read_message(stdin)
        if request is None:
            return 0
        message, payloads = request
        if message.get("type") == "shutdown":
            write_message(stdout, {"type": "bye"})
            return 0
        try:
            reply, reply_payloads = worker.handle(message, payloads)
        except (RequestError, KeyError, ValueError, RuntimeError, OSError) as error:
            log(f"request '{message.get('type')}' failed: {error!r}")
            reply, reply_payloads = {"type": "error", "message": f"{type(error).__name__}: {error}"}, []
        write_message(stdout, reply, reply_payloads)


if __name__ == "__main__":
    sys.exit(main())
