"""Build a tiny but real Argos Translate package (``.argosmodel``) for tests and benchmarks.

The Argos model index is unreachable here, so the translation path is exercised with a
package made on the spot: a SentencePiece model trained on French text, a CTranslate2
Transformer with random weights (numpy only) and the ``metadata.json`` Argos expects,
zipped the way ``argostranslate.package.install_from_path`` reads it. Its output is
nonsense, but every real code path (package install, CTranslate2 batching,
SentencePiece tokenisation) runs.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

_D_MODEL = 32
_FFN = 64
_HEADS = 2


def _fill(spec: object, vocab_size: int, rng: np.random.Generator, eos_id: int = 3, eos_bias: float = 3.0) -> None:
    """Give every required weight of a Transformer spec a random value of the right shape."""
    from ctranslate2.specs import attention_spec, common_spec, model_spec, transformer_spec

    def rand(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.1).astype(np.float32)

    def visit(layer: object, vocab: int) -> None:
        if isinstance(layer, common_spec.LayerNormSpec):
            layer.gamma = np.ones(_D_MODEL, np.float32)
            if hasattr(layer, "beta"):
                layer.beta = np.zeros(_D_MODEL, np.float32)
            return
        if isinstance(layer, common_spec.EmbeddingsSpec):
            layer.weight = rand(vocab, _D_MODEL)
            return
        if isinstance(layer, attention_spec.MultiHeadAttentionSpec):
            dims = [3 * _D_MODEL, _D_MODEL] if len(layer.linear) == 2 else [_D_MODEL, 2 * _D_MODEL, _D_MODEL]
            for linear, out in zip(layer.linear, dims, strict=False):
                linear.weight, linear.bias = rand(out, _D_MODEL), np.zeros(out, np.float32)
            visit(layer.layer_norm, vocab)
            return
        if isinstance(layer, transformer_spec.FeedForwardSpec):
            layer.linear_0.weight, layer.linear_0.bias = rand(_FFN, _D_MODEL), np.zeros(_FFN, np.float32)
            layer.linear_1.weight, layer.linear_1.bias = rand(_D_MODEL, _FFN), np.zeros(_D_MODEL, np.float32)
            visit(layer.layer_norm, vocab)
            return
        if isinstance(layer, transformer_spec.PositionEncoderSpec):
            return  # OPTIONAL: CTranslate2 then uses sinusoidal encodings
        if isinstance(layer, common_spec.LinearSpec):  # the decoder's output projection
            layer.weight, layer.bias = rand(vocab, _D_MODEL), np.zeros(vocab, np.float32)
            # favour </s> a little so random "translations" end after a dozen tokens, as real ones do,
            # instead of running to the decoding limit (which makes tests slow for nothing)
            layer.bias[eos_id] = eos_bias
            return
        for value in list(vars(layer).values()):
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, model_spec.LayerSpec):
                        visit(item, vocab)
            elif isinstance(value, model_spec.LayerSpec):
                visit(value, vocab)

    visit(spec, vocab_size)


def build_argosmodel(
    dest: Path,
    training_text: str,
    *,
    vocab_size: int = 300,
    seed: int = 0,
    package_version: str = "0.0.1-test",
) -> Path:
    """Write ``dest`` (a ``.argosmodel`` zip) for French→English and return its path."""
    import ctranslate2
    import sentencepiece as spm

    work = dest.parent / (dest.stem + ".build")
    model_dir = work / "translate-fr_en" / "model"
    model_dir.mkdir(parents=True, exist_ok=True)
    pkg_dir = model_dir.parent

    sp_model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in training_text.splitlines() if line.strip()]),
        model_writer=sp_model,
        vocab_size=vocab_size,
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    (pkg_dir / "sentencepiece.model").write_bytes(sp_model.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=sp_model.getvalue())
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = ["<blank>", "<s>", "</s>"] + [p for p in pieces if p not in ("<unk>", "<s>", "</s>")]
    vocab.insert(0, "<unk>")
    assert vocab[3] == "</s>"

    spec = ctranslate2.specs.TransformerSpec.from_config(1, _HEADS)
    _fill(spec, len(vocab), np.random.default_rng(seed))
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.save(str(model_dir))

    metadata = {
        "package_version": package_version,
        "argos_version": "1.11.0",
        "from_code": "fr",
        "from_name": "French",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
        "description": "Tiny random-weight test package (output is nonsense).",
    }
    (pkg_dir / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (pkg_dir / "README.md").write_text("Test package built by tests/support/tiny_argos.py\n", encoding="utf-8")

    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(pkg_dir.rglob("*")):
            zf.write(path, path.relative_to(pkg_dir.parent).as_posix())
    return dest
