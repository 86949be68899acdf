"""``python -m bench`` runs every benchmark module in turn; ``python -m bench NAME …`` those named."""
import importlib
import pkgutil
import sys
from pathlib import Path

names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
               if not m.name.startswith("_"))
chosen = sys.argv[1:] or names
unknown = sorted(set(chosen) - set(names))
if unknown:
    sys.exit(f"no benchmark {', '.join(unknown)}; there are: {', '.join(names)}")
failed = 0
for name in chosen:
    print(f"== bench.{name}")
    failed |= bool(importlib.import_module(f"bench.{name}").main())
sys.exit(failed)
