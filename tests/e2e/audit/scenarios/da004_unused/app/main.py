from fastapi import FastAPI

DATABASE_URL = "postgresql://app:app@db:5432/app"
app = FastAPI()


@app.get("/health")
def health():
    return {"ok": True}
