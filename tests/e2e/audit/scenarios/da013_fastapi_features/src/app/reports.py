import pandas as pd


def totals():
    # read_parquet in a comment is not a use
    frame = pd.read_excel("/data/totals.xlsx")
    return frame.sum().to_dict()
