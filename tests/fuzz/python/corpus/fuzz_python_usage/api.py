from fastapi import FastAPI, UploadFile, Form
from fastapi.responses import ORJSONResponse
import pandas as pd
app = FastAPI(default_response_class=ORJSONResponse)
@app.post("/")
async def up(f: UploadFile, name: str = Form(...)):
    df = pd.read_excel(f.file)
    # pd.read_parquet("x")
    s = "pd.read_parquet(x)"
    return {}
