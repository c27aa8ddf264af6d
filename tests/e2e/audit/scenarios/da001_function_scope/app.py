import requests


def export_report(rows):
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    return book


if __name__ == "__main__":
    print(requests.get("http://localhost:8080/health", timeout=5).status_code)
