from flask import Flask, render_template, request

app = Flask(__name__)


@app.route("/")
def index():
    return render_template("index.html")


@app.route("/welcome")
def welcome():
    name = request.args.get("name", "friend")
    return "<h1>Welcome, " + name + "!</h1>"
