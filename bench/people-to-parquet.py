"""Writes the bench's persons CSV as Parquet, as a data team's pipeline would: pyarrow's defaults
(snappy) unless told otherwise, typed columns, row groups of --row-group rows.

    python people-to-parquet.py persons.csv persons.parquet [--row-group 100000] [--compression snappy|zstd]
"""
import argparse

import pyarrow as pa
import pyarrow.csv as csv
import pyarrow.parquet as pq

parser = argparse.ArgumentParser()
parser.add_argument("source")
parser.add_argument("target")
parser.add_argument("--row-group", type=int, default=100_000)
parser.add_argument("--compression", default="snappy")
args = parser.parse_args()

schema = pa.schema([
    ("id", pa.int64()),
    ("name", pa.string()),
    ("email", pa.string()),
    ("age", pa.int64()),
    ("born", pa.date32()),
    ("score", pa.float64()),
])
table = csv.read_csv(args.source, convert_options=csv.ConvertOptions(column_types=schema))
pq.write_table(table.select(schema.names).cast(schema), args.target, row_group_size=args.row_group, compression=args.compression)
