"""Build a synthetic store of N installations: ``python benchmarks/make_store.py N``.

Each installation gets 1-3 sites, 5-20 metrics, values for six periods, a few recorded changes
and delay entries. The same N and seed always give the same store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

from vatui.store import Store
from vatui.store.models import DelayEntry, Installation, Metric, Project, Site, Value
from vatui.store.projectfile import ProjectFile, create_store

PERIODS = ["M1-M6", "M7-M12", "M13-M18", "M19-M24", "M25-M30", "M31-M36"]
COUNTRIES = ["BE", "DE", "ES", "FR", "GR", "IE", "IT", "NL", "PT", "SE"]
STAGES = ["in development", "near-operational", "operational"]


def synthetic_project(n: int, seed: int = 1) -> ProjectFile:
    """A project of ``n`` installations, deterministic for a given seed."""
    rng = random.Random(seed)
    data = ProjectFile(Project("Synthetic RI", "2022-01", "LEAD", "1", "WP9"), list(PERIODS))
    for number in range(1, n + 1):
        ident = f"i{number:04d}"
        data.installations.append(
            Installation(
                ident,
                number,
                f"Installation {number} {rng.choice(['imaging', 'archive', 'compute', 'survey'])}",
                providers=(f"ORG{number % 97:02d}",),
                description=f"Synthetic installation number {number}.",
                task=f"T{number % 9 + 1}.{number % 5 + 1}",
                stage=rng.choice(STAGES),
                planned_production=dt.date(2024, rng.randint(1, 12), 1),
            )
        )
        sites = [f"s{k}" for k in range(rng.randint(1, 3))] if rng.random() < 0.3 else []
        for position, site in enumerate(sites):
            data.sites.append(Site(site, ident, f"Site {site}", position=position))
        for position in range(rng.randint(5, 20)):
            data.metrics.append(metric(rng, ident, position, rng.choice(sites) if sites else None))
        if rng.random() < 0.4:
            data.delays.append(
                DelayEntry(
                    0, ident, dt.date(2024, 9, 1), "Waiting for hardware", dt.date(2025, 1, 31)
                )
            )
    for item in data.metrics:
        for period in PERIODS:
            data.values.append(value(rng, item, period))
    return data


def metric(rng: random.Random, installation: str, position: int, site: str | None) -> Metric:
    kind = "countries" if position % 7 == 6 else "count"
    return Metric(
        f"m{position}",
        installation,
        f"Metric {position} of {installation}",
        kind=kind,
        site=site,
        baseline=None if kind == "countries" else float(rng.randint(1, 100_000)),
        baseline_countries=tuple(rng.sample(COUNTRIES, 3)) if kind == "countries" else (),
        per_year=rng.random() < 0.5,
        measured="Counted by the platform's accounting",
        position=position,
    )


def value(rng: random.Random, metric: Metric, period: str) -> Value:
    if metric.kind == "countries":
        return Value(
            metric.installation, metric.id, period, countries=tuple(rng.sample(COUNTRIES, 2))
        )
    return Value(metric.installation, metric.id, period, number=rng.randint(0, 150_000))


def make_store(path: Path, n: int, seed: int = 1) -> Path:
    """Write the synthetic store to ``path`` (replacing it), with some recorded history."""
    data = synthetic_project(n, seed)
    create_store(path, data, overwrite=True).close()
    rng = random.Random(seed)
    with Store.open(path) as store, store.transaction():
        for item in rng.sample(data.installations, min(n, 50)):
            metric_id = next(m.id for m in data.metrics if m.installation == item.id)
            store.set_value("LEAD", item.id, metric_id, PERIODS[-1], str(rng.randint(1, 9999)))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, help="how many installations")
    parser.add_argument("-o", "--output", default=None, help="the store (default: synthetic-N.db)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    path = Path(args.output or f"synthetic-{args.n}.db")
    make_store(path, args.n, args.seed)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
