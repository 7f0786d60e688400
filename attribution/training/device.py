"""Where a training run computes, the CPU or a CUDA GPU, with the same random draws on both.

Dropout is the only randomness inside the networks. On a GPU its masks would come from the
GPU's own generator, so a GPU run would follow other random draws than the CPU run of the
same seed and end as far from it as a run with another seed. Under ``HostRandom`` every
dropout mask is drawn from the CPU generator, in the order and of the shape the CPU run
draws it, and only the arithmetic runs on the GPU: the two runs differ by floating-point
rounding alone (docs/training.md).
"""

from __future__ import annotations

import math
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import torch
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

DEVICES = "auto (a CUDA GPU where one is present, else the CPU), cpu, cuda or cuda:N"


def training_device(name: str) -> torch.device:
    """The device a training run uses: ``auto`` takes a CUDA GPU where one is present, else
    the CPU; ValueError for a name torch does not know or a CUDA device where none is."""
    from ..model import resolve_device

    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    chosen = resolve_device(name)
    if chosen.type not in ("cpu", "cuda"):
        raise ValueError(f"training runs on {DEVICES}, not {name!r}")
    return chosen


def host_random(device: torch.device) -> AbstractContextManager[Any]:
    """What a training step runs under: nothing on the CPU, ``HostRandom`` elsewhere."""
    return nullcontext() if device.type == "cpu" else HostRandom()


def _host_mask(shape: torch.Size, p: float, like: torch.Tensor) -> torch.Tensor:
    """A dropout mask drawn as the CPU's dropout draws it (a Bernoulli(1 - p) tensor of the
    input's shape from the CPU generator), scaled by 1 / (1 - p), on the input's device."""
    keep = torch.empty(shape, dtype=like.dtype).bernoulli_(1 - p).bool()
    return keep.to(like.device).to(like.dtype).div_(1 - p)


def _dropout(input: torch.Tensor, p: float = 0.5, training: bool = True,
             inplace: bool = False) -> torch.Tensor:
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:  # no draw, as on the CPU
        return input.mul_(0) if inplace else input * 0
    mask = _host_mask(input.shape, p, input)
    return input.mul_(mask) if inplace else input * mask


def _attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
               attn_mask: torch.Tensor | None = None, dropout_p: float = 0.0,
               is_causal: bool = False, scale: float | None = None,
               enable_gqa: bool = False) -> torch.Tensor:
    """Scaled dot-product attention with dropout, as the CPU computes it when dropout is on
    (softmax, then one dropout draw of the weights' shape), the mask drawn on the host."""
    if enable_gqa:
        repeat = query.shape[-3] // key.shape[-3]
        key, value = key.repeat_interleave(repeat, -3), value.repeat_interleave(repeat, -3)
    scale = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    weights = (query @ key.transpose(-2, -1)) * scale
    if is_causal:
        causal = torch.ones(query.shape[-2], key.shape[-2], dtype=torch.bool,
                            device=query.device).tril()
        weights = weights.masked_fill(~causal, float("-inf"))
    if attn_mask is not None:
        weights = (weights.masked_fill(~attn_mask, float("-inf"))
                   if attn_mask.dtype == torch.bool else weights + attn_mask)
    weights = weights.softmax(-1)
    return _dropout(weights, dropout_p) @ value


class HostRandom(TorchFunctionMode):
    """Dropout (module, functional, and inside scaled dot-product attention) with its masks
    drawn from the CPU generator, whatever device the tensors are on."""

    def __torch_function__(self, func: Any, types: Any, args: tuple = (),
                           kwargs: dict | None = None) -> Any:
        kwargs = kwargs or {}
        if func is F.dropout:
            return _dropout(*args, **kwargs)
        if func is torch.dropout:  # torch.dropout(input, p, train)
            return _dropout(*args, **{"training" if k == "train" else k: v
                                      for k, v in kwargs.items()})
        if func is F.scaled_dot_product_attention:
            dropout_p = kwargs.get("dropout_p", args[4] if len(args) > 4 else 0.0)
            if dropout_p > 0:
                return _attention(*args, **kwargs)
        return func(*args, **kwargs)
