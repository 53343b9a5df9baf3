#!/usr/bin/python3

"""
    delete.py

    MediaWiki API Demos
    Demo of `Delete` module: post request to delete a page
    MIT license

    (The sample of https://www.mediawiki.org/wiki/API:Delete, seed 001, unchanged
    but for the URL and the credentials, which come from the environment:
    WIKID_API, WIKID_BOT_USER, WIKID_BOT_PASS.)
"""

import os

import requests

S = requests.Session()

URL = os.environ["WIKID_API"]

# Step1: Retrieve login token
PARAMS_0 = {
    'action':"query",
    'meta':"tokens",
    'type':"login",
    'format':"json"
}

R = S.get(url=URL, params=PARAMS_0)
DATA = R.json()

LOGIN_TOKEN = DATA['query']['tokens']['logintoken']

# Step2: Send a post request to login. Use of main account for login is not
# supported. Obtain credentials via Special:BotPasswords
# (https://www.mediawiki.org/wiki/Special:BotPasswords) for lgname & lgpassword
PARAMS_1 = {
    'action':"login",
    'lgname':os.environ["WIKID_BOT_USER"],
    'lgpassword':os.environ["WIKID_BOT_PASS"],
    'lgtoken':LOGIN_TOKEN,
    'format':"json"
}

R = S.post(URL, data=PARAMS_1)

# Step 3: When logged in, retrieve a CSRF token
PARAMS_2 = {
    'action':"query",
    'meta':"tokens",
    'format':"json"
}

R = S.get(url=URL, params=PARAMS_2)
DATA = R.json()

CSRF_TOKEN = DATA['query']['tokens']['csrftoken']

# Step 4: Send a post request to delete a page
PARAMS_3 = {
    'action':"delete",
    'title':"enter_a_page_title",
    'token':CSRF_TOKEN,
    'format':"json",
    'reason':'the reason for deletion'
}

R = S.post(URL, data=PARAMS_3)
DATA = R.json()

print(DATA)
