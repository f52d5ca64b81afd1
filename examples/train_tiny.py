"""Train a tiny character-level language model three ways and watch Runcast forecast it.

Three runs of one group on CPU - cosine, WSD (warmup-stable-decay) and constant LR - each logging
through the Runcast client with the schedule read from PyTorch (``schedule_from_torch``). The last
run is told a target loss it cannot reach and stops itself early on Runcast's verdict.

    pnpm runcast serve &                                   # http://127.0.0.1:4600
    export RUNCAST_TOKEN=$(pnpm -s runcast token create --name tiny --scope write --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
    PYTHONPATH=clients/python /usr/bin/python3 examples/train_tiny.py

The text is the source of a standard-library module (it ships with every Python). Needs torch
(Debian: ``apt-get install python3-torch``). Prints one JSON line per run on stdout.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import runcast  # noqa: E402

CONTEXT = 16


def load_text() -> str:
    with open(difflib.__file__, encoding="utf-8") as f:
        return f.read()


class CharMLP(torch.nn.Module):
    """Bengio-style MLP language model: the last CONTEXT characters -> the next one."""

    def __init__(self, vocab: int, dim: int = 24, hidden: int = 192):
        super().__init__()
        self.embed = torch.nn.Embedding(vocab, dim)
        self.hidden = torch.nn.Linear(CONTEXT * dim, hidden)
        self.out = torch.nn.Linear(hidden, vocab)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.embed(x).flatten(1)
        return self.out(torch.tanh(self.hidden(h)))


def lr_lambda(kind: str, warmup: int, total: int, decay: float = 0.25):
    def fn(t: int) -> float:
        if t < warmup:
            return (t + 1) / warmup
        if kind == "constant":
            return 1.0
        if kind == "cosine":
            u = min(1.0, (t - warmup) / max(1, total - warmup))
            return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * u))
        start = total - int(decay * total)  # wsd: linear cooldown over the last quarter
        if t < start:
            return 1.0
        return max(0.05, 1 - 0.95 * (t - start) / max(1, total - start))

    return fn


def train(kind: str, args: argparse.Namespace, data: torch.Tensor, vocab: int, target: float | None) -> dict:
    torch.manual_seed(args.seed)
    model = CharMLP(vocab)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda(kind, args.warmup, args.steps))
    name = f"tiny-{kind}"
    run = runcast.init(
        project=args.project,
        name=name,
        group=args.group,
        schedule=runcast.schedule_from_torch(optimizer, scheduler, args.steps),
        config={"kind": kind, "lr": args.lr, "batch_size": args.batch, "context": CONTEXT, "steps": args.steps},
        server=args.server,
        token=args.token,
    )
    check = run.stop_check(target=target, every_steps=args.check_every, every_seconds=None) if target else None
    generator = torch.Generator().manual_seed(args.seed)
    started = time.time()
    step = 0
    window = []
    stopped = False
    with run:
        for step in range(1, args.steps + 1):
            idx = torch.randint(0, len(data) - CONTEXT - 1, (args.batch,), generator=generator)
            x = torch.stack([data[i : i + CONTEXT] for i in idx.tolist()])
            y = data[idx + CONTEXT]
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            scheduler.step()
            window.append(loss.item())
            if step % args.log_every == 0:
                # Mean train loss of the last log_every steps; the LR that step used is added.
                run.log({"loss": sum(window) / len(window)}, step=step)
                window = []
            if check is not None and check(step):
                stopped = True
                break
    verdict = run.stop_verdict
    return {
        "run": name,
        "kind": kind,
        "steps": step,
        "stopped": stopped,
        "verdict": None if verdict is None else verdict.record(),
        "seconds": round(time.time() - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("RUNCAST_SERVER", "http://127.0.0.1:4600"))
    parser.add_argument("--token", default=os.environ.get("RUNCAST_TOKEN"))
    parser.add_argument("--project", default="tiny")
    parser.add_argument("--group", default="char-mlp-difflib")
    parser.add_argument("--kinds", default="cosine,wsd,constant")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--log-every", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target", type=float, default=0.5, help="a final loss the last run is told to reach")
    parser.add_argument("--check-every", type=int, default=50, help="steps between stop checks")
    args = parser.parse_args()
    torch.set_num_threads(1)
    text = load_text()
    chars = sorted(set(text))
    data = torch.tensor([chars.index(c) for c in text], dtype=torch.long)
    kinds = args.kinds.split(",")
    for i, kind in enumerate(kinds):
        target = args.target if i == len(kinds) - 1 and args.target > 0 else None
        print(json.dumps(train(kind, args, data, len(chars), target)), flush=True)


if __name__ == "__main__":
    main()
