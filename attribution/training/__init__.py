"""Training and evaluation: the only part of the package that trains or scores against gold.
It needs the 'train' extra (peft, datasets, scikit-learn)."""

from ..extras import needs

needs("train", "training and evaluation")
