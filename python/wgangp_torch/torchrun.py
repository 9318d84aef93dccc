"""torchrun, for PyTorch builds where it cannot start: `python3 -m
wgangp_torch.torchrun ARGS` is `torchrun ARGS` (torch.distributed.run).

Debian 12's PyTorch 1.13 on Python 3.11 fails before starting any worker
(AttributeError: 'NoneType' object has no attribute 'get'): its parser of
--redirects/--tee looks a value up by iterating an IntFlag, and Python 3.11
no longer yields the zero member, so the default "0" becomes None. This
module parses those two options itself when that is so; elsewhere it
changes nothing."""

import re
import sys

from torch.distributed.elastic.multiprocessing import api
from torch.distributed.run import main


def _from_str(vm):
    if re.fullmatch(r"[0123]", vm):
        return api.Std(int(vm))
    if re.fullmatch(r"(\d+:[0123],)*\d+:[0123]", vm):
        return {int(i): api.Std(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    raise ValueError(f"{vm} is not 0-3 nor a mapping like 0:1,1:2")


if api.Std.from_str("0") is None:
    api.Std.from_str = staticmethod(_from_str)

if __name__ == "__main__":
    sys.exit(main())
