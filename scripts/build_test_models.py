"""Build (or find in the cache) the en<->ru test packages the test suite uses.

Run once in CI before the tests so the training time shows up as its own
step; the tests then find the packages in the cache.

Usage: python scripts/build_test_models.py [--cache-dir DIR]
Prints one JSON object: the package paths and the build time.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    from support.build_models import build_test_models, cache_root

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="where built packages are kept [default: $MLCORPUS_TEST_MODELS "
        "or ~/.cache/mlcorpus-test-models]",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    models = build_test_models(
        args.cache_dir or cache_root(), log=lambda msg: print(msg, file=sys.stderr, flush=True)
    )
    print(
        json.dumps(
            {
                "packages": {f"{s}-{t}": str(p) for (s, t), p in models.packages.items()},
                "layout_variants": {name: str(p) for name, p in models.variants.items()},
                "training_pairs": len(models.pairs),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
