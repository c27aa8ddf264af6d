from fastapi import FastAPI, Form
from pydantic import BaseModel, EmailStr

from app import reports

app = FastAPI()


class Signup(BaseModel):
    email: EmailStr


@app.post("/login")
async def login(username: str = Form(...)):
    return {"user": username}


@app.get("/report")
async def report():
    return reports.totals()
