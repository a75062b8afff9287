"""Reference values of PyTorch's softmax losses for softgrad's cross-check test.

Writes core/src/test/resources/pytorch-reference.json: for a few fixed inputs (given in the file
itself, so that the Java test feeds exactly the same numbers), the loss and the gradient with
respect to the logits, in float64, from torch.nn.functional.

Run from the project root, in a local venv that has torch (never a dependency of the project):
    python bench/pytorch/reference_losses.py
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def case(name, logits, fn, **inputs):
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    loss = fn(z)
    loss.backward(torch.ones_like(loss))
    return {"name": name, "logits": logits, **inputs,
            "loss": loss.detach().reshape(-1).tolist(), "grad": z.grad.tolist()}


def main():
    z = (torch.randn(5, 4, dtype=torch.float64) * 2).tolist()
    y = [0, 3, 1, 1, 2]
    y_ign = [0, 3, -100, 1, 2]
    w = [0.5, 1.0, 2.0, 1.5]
    q = torch.softmax(torch.randn(5, 4, dtype=torch.float64), dim=1).tolist()
    t = (torch.randn(5, 4, dtype=torch.float64) * 2).tolist()
    yt = torch.tensor(y)
    cases = [
        case("ce_mean", z, lambda x: F.cross_entropy(x, yt), labels=y),
        case("ce_sum", z, lambda x: F.cross_entropy(x, yt, reduction="sum"), labels=y, reduction="SUM"),
        case("ce_none", z, lambda x: F.cross_entropy(x, yt, reduction="none"), labels=y, reduction="NONE"),
        case("ce_weighted", z, lambda x: F.cross_entropy(x, yt, weight=torch.tensor(w, dtype=torch.float64)),
             labels=y, weights=w),
        case("ce_weighted_ignore", z, lambda x: F.cross_entropy(x, torch.tensor(y_ign),
             weight=torch.tensor(w, dtype=torch.float64)), labels=y_ign, weights=w),
        case("ce_probs", z, lambda x: F.cross_entropy(x, torch.tensor(q, dtype=torch.float64)), targets=q),
        case("ce_probs_weighted", z, lambda x: F.cross_entropy(x, torch.tensor(q, dtype=torch.float64),
             weight=torch.tensor(w, dtype=torch.float64)), targets=q, weights=w),
        case("ls_0.1", z, lambda x: F.cross_entropy(x, yt, label_smoothing=0.1), labels=y, eps=0.1),
        case("ls_0.2_weighted_ignore", z, lambda x: F.cross_entropy(x, torch.tensor(y_ign),
             weight=torch.tensor(w, dtype=torch.float64), label_smoothing=0.2), labels=y_ign, weights=w, eps=0.2),
        case("ls_0.3_sum", z, lambda x: F.cross_entropy(x, yt, label_smoothing=0.3, reduction="sum"),
             labels=y, eps=0.3, reduction="SUM"),
        case("kd_T3", z, lambda x: F.kl_div(F.log_softmax(x / 3, 1), F.softmax(torch.tensor(t, dtype=torch.float64) / 3, 1),
             reduction="batchmean") * 9, teacher=t, temperature=3.0),
        case("softmax_tau2", z, lambda x: (F.softmax(x / 2, 1) * torch.arange(4, dtype=torch.float64)).sum(), tau=2.0),
        case("logsoftmax_tau0.5", z, lambda x: (F.log_softmax(x / 0.5, 1) * torch.arange(4, dtype=torch.float64)).sum(),
             tau=0.5),
        case("logsumexp", z, lambda x: torch.logsumexp(x, 1).sum()),
    ]
    out = {"torch": torch.__version__, "cases": cases}
    with open("core/src/test/resources/pytorch-reference.json", "w") as f:
        json.dump(out, f, indent=1)
    print("wrote", len(cases), "cases with torch", torch.__version__)


if __name__ == "__main__":
    main()
