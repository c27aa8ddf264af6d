import uvloop
from fastapi import FastAPI
from email_validator import validate_email

app = FastAPI()


@app.get("/check")
def check(address: str):
    return {"ok": bool(validate_email(address, check_deliverability=False)), "loop": uvloop.__name__}
