"""``python -m bench`` runs every benchmark module in turn."""
import importlib
import pkgutil
from pathlib import Path

names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
               if not m.name.startswith("_"))
for name in names:
    print(f"== bench.{name}")
    importlib.import_module(f"bench.{name}").main()
