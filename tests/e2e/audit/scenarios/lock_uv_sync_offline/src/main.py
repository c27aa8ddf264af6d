from fastapi import FastAPI
from starlette.responses import JSONResponse

from jose import jwt

app = FastAPI()


@app.get("/")
def root():
    return JSONResponse({"token": jwt.encode({}, "k")})
